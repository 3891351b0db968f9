"""call_http meets .NET's HttpClient (devhost `dotnet_http.py`): each test is one rule.

The loopback server speaks raw HTTP/1.1 so a test controls every byte of an answer (header
names as sent, repeated lines, a BOM) and sees every line of a request.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from azure.durable_functions.models.history import HistoryEventType


class RawHttpServer:
    """Answers every request with `answer` (status line, header lines, body) and keeps the
    request heads it received as (name, value) lines."""

    def __init__(self) -> None:
        self.requests: list[list[tuple[str, str]]] = []
        self.answer: tuple[list[tuple[str, str]], bytes] = ([], b"")
        self.status = "200 OK"
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def __aenter__(self) -> RawHttpServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")[1:-2]
        lines = [tuple(part.strip() for part in line.split(":", 1)) for line in head]
        self.requests.append(lines)  # type: ignore[arg-type]
        length = sum(int(v) for n, v in lines if n.lower() == "content-length")
        await reader.readexactly(length)
        headers, body = self.answer
        out = [f"HTTP/1.1 {self.status}", *(f"{n}: {v}" for n, v in headers)]
        out += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
        writer.write("\r\n".join(out).encode("latin-1") + body)
        await writer.drain()
        writer.close()


@pytest.fixture
async def raw_server() -> AsyncIterator[RawHttpServer]:
    async with RawHttpServer() as server:
        yield server


async def _call(make_engine, start, args: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
    engine = make_engine("http_calls_app")
    instance_id = await start(engine, "probe", {"method": "GET", **args})
    status = await engine.wait(instance_id, 10)
    return status["output"], engine.history(instance_id)


def _failures(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in history if e["EventType"] == HistoryEventType.TASK_FAILED]


async def test_a_caller_set_user_agent_is_not_doubled(make_engine, start, raw_server):
    """dotnet/runtime System.Net.Http `Headers/HttpHeaders.cs`, `AddHeaders`: the client's
    DefaultRequestHeaders (the extension's User-Agent, `DurableHttpClientFactory.GetClient`) are
    added "only ... if they're not already set on the message"; the name is matched
    case-insensitively and written in KnownHeaders.cs's casing."""
    args = {"url": raw_server.url, "headers": {"user-agent": "Invoices/1.0 (billing)"}}
    await _call(make_engine, start, args)
    await _call(make_engine, start, {"url": raw_server.url})
    custom, default = ([v for n, v in r if n.lower() == "user-agent"] for r in raw_server.requests)
    assert custom == ["Invoices/1.0 (billing)"]
    assert [n for n, _ in raw_server.requests[0] if n.lower() == "user-agent"] == ["User-Agent"]
    assert default == ["Microsoft.Azure.WebJobs.Extensions.DurableTask/2.13.7 (devhost)"]


async def test_request_headers_are_written_as_dotnet_writes_them(make_engine, start, raw_server):
    """System.Net.Http `HttpHeaders.Add` then SocketsHttpHandler's `WriteHeaderCollection`: a
    known name goes out in KnownHeaders.cs's casing, an unknown one as given, and several
    values of one header are one line joined with the parser's separator (", ")."""
    headers = {"cache-control": "no-cache", "x-Trace": ["a", "b"]}
    await _call(make_engine, start, {"url": raw_server.url, "headers": headers})
    sent = dict(raw_server.requests[0])
    assert (sent["Cache-Control"], sent["x-Trace"]) == ("no-cache", "a, b")


async def test_response_header_names_are_dotnets_and_content_headers_are_absent(
    make_engine, start, raw_server
):
    """System.Net.Http `Headers/KnownHeaders.cs`: a known name is reported in .NET's casing
    whatever the server sent (`ETag`, `P3P`, `X-AspNet-Version`), any other name as received;
    HttpHeaderType.Content headers live on HttpContent, so the extension's
    `DurableHttpResponse.CreateDurableHttpResponseWithHttpResponseMessage`, which copies
    `HttpResponseMessage.Headers`, never has them."""
    raw_server.answer = (
        [
            ("etag", '"v1"'),
            ("p3p", "CP=none"),
            ("x-aspnet-version", "4.0"),
            ("x-ratelimit-remaining", "5"),
            ("Content-Type", "text/plain"),
            ("expires", "0"),
            ("Last-Modified", "Sun, 06 Dec 2026 00:00:00 GMT"),
        ],
        b"ok",
    )
    response, _ = await _call(make_engine, start, {"url": raw_server.url})
    assert response["headers"] == {
        "ETag": '"v1"',
        "P3P": "CP=none",
        "X-AspNet-Version": "4.0",
        "x-ratelimit-remaining": "5",
        "Connection": "close",
    }


async def test_multi_value_known_response_headers_arrive_as_a_list(make_engine, start, raw_server):
    """System.Net.Http `HttpHeaders.GetEnumerator` parses each value with the header's parser
    (Vary: TokenListParser, Server: ProductInfoHeaderParser) and lists every parsed value;
    an unknown header keeps its line whole; extension `HttpHeadersConverter.WriteJson` writes
    one value as a string and several as an array."""
    raw_server.answer = (
        [
            ("Vary", "Accept, Origin"),
            ("Server", "Kestrel/8 (linux)"),
            ("X-List", "a, b"),
            ("Set-Cookie", "a=1"),
            ("set-cookie", "b=2"),
        ],
        b"",
    )
    response, _ = await _call(make_engine, start, {"url": raw_server.url})
    headers = response["headers"]
    assert headers["Vary"] == ["Accept", "Origin"]
    assert headers["Server"] == ["Kestrel/8", "(linux)"]
    assert headers["X-List"] == "a, b"
    assert headers["Set-Cookie"] == ["a=1", "b=2"]


@pytest.mark.parametrize("content_type", [None, "application/json; charset=utf-8"])
async def test_a_utf8_bom_at_the_start_of_the_body_is_dropped(
    make_engine, start, raw_server, content_type
):
    """System.Net.Http `HttpContent.ReadBufferAsString`: the charset's preamble, or without a
    charset the one `TryDetectEncoding` finds, is skipped before decoding."""
    headers = [] if content_type is None else [("Content-Type", content_type)]
    raw_server.answer = (headers, b'\xef\xbb\xbf{"a": 1}')
    response, _ = await _call(make_engine, start, {"url": raw_server.url})
    assert json.loads(response["content"]) == {"a": 1}


async def test_a_known_response_charset_decodes_the_body(make_engine, start, raw_server):
    """System.Net.Http `HttpContent.ReadBufferAsString`: `Encoding.GetEncoding(charset)` (one
    pair of quotes removed) decodes the body: latin1 is one of CoreLib's names."""
    raw_server.answer = (
        [("Content-Type", 'text/plain; charset="latin1"')],
        "café".encode("latin-1"),
    )
    response, _ = await _call(make_engine, start, {"url": raw_server.url})
    assert response["content"] == "café"


@pytest.mark.parametrize("charset", ["utf8", "windows-1252", "utf-7"])
async def test_an_unknown_response_charset_fails_the_task(make_engine, start, raw_server, charset):
    """System.Net.Http `HttpContent.ReadBufferAsString`: `Encoding.GetEncoding` throws for a
    name CoreLib's EncodingTable lacks (no code pages provider; UTF-7 refused since .NET 5) and
    ReadAsStringAsync throws InvalidOperationException, which TaskHttpActivityShim.RunAsync does
    not catch (it catches HttpRequestException only): DTFx fails the task with its message."""
    raw_server.answer = ([("Content-Type", f"application/json; charset={charset}")], b"{}")
    output, history = await _call(make_engine, start, {"url": raw_server.url})
    failed = _failures(history)
    assert len(failed) == 1
    assert failed[0]["Reason"] == (
        "The character set provided in ContentType is invalid. Cannot read content as string "
        "using an invalid character set."
    )
    assert failed[0]["Details"].startswith(
        "Unhandled exception while executing task: System.InvalidOperationException: "
    )
    assert output["error"].startswith(failed[0]["Reason"])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("If-None-Match", "abc"),
        ("if-match", "v1"),
        ("Accept", "json"),
        ("If-Modified-Since", "yesterday"),
        ("Max-Forwards", "ten"),
        ("Range", "0-99"),
        ("User-Agent", "me@example.com"),
    ],
)
async def test_a_known_request_header_with_an_invalid_value_fails_before_sending(
    make_engine, start, raw_server, name, value
):
    """System.Net.Http `HttpHeaders.Add` parses a known header's value with its parser
    (KnownHeaders.cs) and throws FormatException "The format of value '…' is invalid."; the
    extension's `TaskHttpActivityShim.ConvertToHttpRequestMessage` calls it before sending, so
    the task fails and no request is made."""
    _, history = await _call(make_engine, start, {"url": raw_server.url, "headers": {name: value}})
    failed = _failures(history)
    assert len(failed) == 1
    assert failed[0]["Reason"] == f"The format of value '{value}' is invalid."
    assert raw_server.requests == []


async def test_valid_known_request_header_values_are_sent(make_engine, start, raw_server):
    """The same parsers accept what the RFCs allow (entity tags, HTTP dates, products with
    comments, media ranges with parameters), so these are sent unchanged."""
    headers = {
        "If-None-Match": 'W/"a", "b"',
        "If-Modified-Since": "Sun, 06 Dec 2026 00:00:00 GMT",
        "User-Agent": "Invoices/1.0 (+https://example.test)",
        "Accept": "application/json; q=0.9, */*",
    }
    await _call(make_engine, start, {"url": raw_server.url, "headers": headers})
    assert {n: v for n, v in raw_server.requests[0] if n in headers} == headers


async def test_a_second_value_of_a_single_value_request_header_fails_the_task(
    make_engine, start, raw_server
):
    """System.Net.Http `HttpHeaders.Add`: a header whose parser takes one value throws
    "Cannot add value because header '…' does not support multiple values."."""
    headers = {"max-forwards": ["1", "2"]}
    _, history = await _call(make_engine, start, {"url": raw_server.url, "headers": headers})
    assert [e["Reason"] for e in _failures(history)] == [
        "Cannot add value because header 'Max-Forwards' does not support multiple values."
    ]
    assert raw_server.requests == []


@pytest.mark.parametrize("value", ["\U0001f9fe run", "caf\u00e9"])
async def test_a_request_header_value_outside_ascii_fails_before_sending(
    make_engine, start, raw_server, value
):
    """dotnet/runtime System.Net.Http `SocketsHttpHandler/HttpConnection.cs`, `WriteStringAsync`:
    with no RequestHeaderEncodingSelector (the extension sets none) every char of a header value
    must be ASCII (`(c & 0xFF80) != 0` throws HttpRequestException
    `net_http_request_invalid_char_encoding`, "Request headers must contain only ASCII
    characters."), so nothing is sent. An instance id with an emoji in the app's X-Run-Id header
    billed on devhost and fails on Azure."""
    headers = {"X-Run-Id": value}
    _, history = await _call(make_engine, start, {"url": raw_server.url, "headers": headers})
    assert [e["Reason"] for e in _failures(history)] == [
        "Request headers must contain only ASCII characters."
    ]
    assert raw_server.requests == []


async def test_no_accept_or_accept_encoding_is_added_and_answers_are_not_decompressed(
    make_engine, start, raw_server
):
    """Extension `DurableHttpMessageHandlerFactory.CreateHttpMessageHandler` uses a default
    `new HttpClientHandler()`: AutomaticDecompression is None, so no Accept-Encoding is sent and
    a gzip body is read as it came (its bytes decoded as UTF-8); HttpClient adds no Accept."""
    raw_server.answer = ([("Content-Encoding", "gzip")], gzip.compress(b"plain"))
    response, _ = await _call(make_engine, start, {"url": raw_server.url})
    sent = {name.lower() for name, _ in raw_server.requests[0]}
    assert not {"accept", "accept-encoding"} & sent
    assert response["content"][:3] == "\x1f\ufffd\x08"


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        (
            "billing.example?code=SECRET",
            "An invalid request URI was provided. The request URI must either be an absolute "
            "URI or BaseAddress must be set.",
        ),
        ("/api/invoices?code=SECRET", "The 'file' scheme is not supported."),
        ("ftp://billing.example/x?code=SECRET", "The 'ftp' scheme is not supported."),
    ],
)
async def test_a_malformed_request_uri_fails_without_the_uri_in_the_reason(
    make_engine, start, uri, reason
):
    """Newtonsoft reads DurableHttpRequest.uri as `new Uri(s, UriKind.RelativeOrAbsolute)`;
    System.Net.Http `HttpClient.PrepareRequestMessage` throws InvalidOperationException
    (net_http_client_invalid_requesturi) for a relative URI, and SocketsHttpHandler throws
    NotSupportedException (net_http_unsupported_requesturi_scheme) for a scheme other than
    http/https ("/path" is a file URI on Linux). Neither message carries the URI, so a key in
    its query string never reaches the failure."""
    output, history = await _call(make_engine, start, {"url": uri})
    failed = _failures(history)
    assert [e["Reason"] for e in failed] == [reason]
    assert "SECRET" not in failed[0]["Details"] and "SECRET" not in output["error"]


async def test_past_fifty_redirects_the_last_3xx_is_the_answer(make_engine, start, raw_server):
    """dotnet/runtime System.Net.Http `SocketsHttpHandler/RedirectHandler.cs`, `SendAsync`: past
    `MaxAutomaticRedirections` (50, `HttpHandlerDefaults`) "just return the 3xx response"; no
    exception, so the task completes with that status (a redirect loop is an answer, not a
    transport failure, and the billing summary counts it as answered)."""
    raw_server.status = "302 Found"
    raw_server.answer = ([("Location", "/again")], b"")
    output, history = await _call(make_engine, start, {"url": raw_server.url})
    assert _failures(history) == []
    assert output["statusCode"] == 302
    assert output["headers"]["Location"] == "/again"
    assert len(raw_server.requests) == 51  # the request and 50 redirects


async def test_response_headers_up_to_64_kib_are_read(make_engine, start, raw_server):
    """dotnet/runtime System.Net.Http `HttpHandlerDefaults.DefaultMaxResponseHeadersLength` (64,
    in KiB): SocketsHttpHandler reads a response's header lines up to 65,536 bytes in all
    (`HttpConnection`, `_allowedReadLineBytes`) and past that throws HttpRequestException
    `net_http_response_headers_exceeded_length`. A 10,000-byte header (a long
    Content-Security-Policy or Set-Cookie) is read on Azure; devhost failed the task at 8,190."""
    raw_server.answer = ([("X-Long", "a" * 10_000)], b"{}")
    output, history = await _call(make_engine, start, {"url": raw_server.url})
    assert _failures(history) == []
    assert output["headers"]["X-Long"] == "a" * 10_000
    raw_server.answer = ([("X-Long", "a" * 40_000), ("X-Longer", "b" * 40_000)], b"{}")
    _, history = await _call(make_engine, start, {"url": raw_server.url})
    assert [e["Reason"] for e in _failures(history)] == [
        "The HTTP response headers length exceeded the set limit of 65536 bytes."
    ]
