"""BuiltIn::HttpActivity: the extension's durable HTTP call for Python (spec §4.4).

One real request, no 202 polling (Python sends no asynchronousPatternEnabled), a client
timeout, any status is a value, and a transport error becomes TaskFailed with its message.
The request message is built as `TaskHttpActivityShim.ConvertToHttpRequestMessage` builds it
(see `request_message`), so a request .NET refuses fails here too; .NET's own HttpClient rules
(header names and parsers, default headers, charsets, BOMs) live in `dotnet_http.py`.
"""

from __future__ import annotations

import os
import re
from typing import Any

import aiohttp
from yarl import URL

from devhost.replay import history as h
from devhost.work.dotnet_http import (
    MAX_RESPONSE_HEADERS_BYTES,
    TOKEN,
    DotNetError,
    RequestHeaders,
    check_response_headers_length,
    read_as_string,
    response_headers,
)

# DurableHttpClientFactory.GetClient: the one default request header of the shared HttpClient.
USER_AGENT = "Microsoft.Azure.WebJobs.Extensions.DurableTask/2.13.7 (devhost)"
_FORM = "application/x-www-form-urlencoded"
# MediaTypeHeaderValue(string) takes exactly `token/token`.
_MEDIA_TYPE = re.compile(f"{TOKEN}/{TOKEN}")
_REDIRECTS = 50  # HttpClientHandler.MaxAutomaticRedirections
_RELATIVE_URI = (
    "An invalid request URI was provided. The request URI must either be an absolute URI or "
    "BaseAddress must be set."
)
_SEND_FAILED = "An error occurred while sending the request."


def client_session(connection_limit: int) -> aiohttp.ClientSession:
    """The shared client: a default `HttpClientHandler` (DurableHttpMessageHandlerFactory), so
    no automatic decompression, no Accept or Accept-Encoding header is added, and response
    header lines are read up to .NET's 64 KiB in all (aiohttp's own limit is 8,190 per line;
    `_send` checks the total)."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=connection_limit),
        auto_decompress=False,
        skip_auto_headers=("Accept", "Accept-Encoding", "User-Agent"),
        max_line_size=MAX_RESPONSE_HEADERS_BYTES,
        max_field_size=MAX_RESPONSE_HEADERS_BYTES,
    )


def request_message(request: dict[str, Any]) -> tuple[list[tuple[str, str]], bytes | None]:
    """Headers and body as `TaskHttpActivityShim.ConvertToHttpRequestMessage` makes them.

    Azure/azure-functions-durable-extension, src/WebJobs.Extensions.DurableTask/Listener/
    TaskHttpActivityShim.cs: Content-Type values go to the content (any value containing
    "multipart" throws), every other header goes to `requestMessage.Headers.Add` (.NET's
    rules: `dotnet_http.RequestHeaders`); with content, the type defaults to "text/plain" and
    is set through `new MediaTypeHeaderValue(contentType)`, which throws FormatException for
    anything but `type/subtype` (so "application/json; charset=utf-8" fails), except that
    application/x-www-form-urlencoded goes through StringContent and gains "; charset=utf-8".
    `HttpClient.SendAsync` then adds the client's default User-Agent where none is set.
    Raises DotNetError.
    """
    headers = RequestHeaders()
    content_type = ""
    for name, value in (request.get("headers") or {}).items():
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        if name.lower() == "content-type":
            for item in values:
                if "multipart" in item:
                    raise DotNetError(
                        "Microsoft.Azure.WebJobs.Extensions.DurableTask.FunctionFailedException",
                        "Multipart content is not supported with CallHttpAsync.",
                    )
                content_type = item
        else:
            headers.add(name, values)
    headers.add_defaults({"User-Agent": USER_AGENT})
    lines = headers.lines()
    if request.get("content") is None:
        return lines, None
    content_type = content_type or "text/plain"
    if content_type.lower() == _FORM:
        content_type += "; charset=utf-8"
    elif not _MEDIA_TYPE.fullmatch(content_type):
        raise DotNetError(
            "System.FormatException", f"The format of value '{content_type}' is invalid."
        )
    lines.append(("Content-Type", content_type))
    return lines, str(request["content"]).encode("utf-8")


def request_uri(uri: Any) -> URL:
    """The request URI as `HttpClient.SendAsync` takes it, or the exception it throws.

    Newtonsoft reads `uri` as `new Uri(s, UriKind.RelativeOrAbsolute)`: a relative one fails in
    `HttpClient.PrepareRequestMessage` (no BaseAddress), and on Linux a path starting with "/"
    is a file URI, which SocketsHttpHandler refuses like any scheme but http and https. Neither
    message carries the URI (so no key in a query string reaches history).
    """
    try:
        url = URL(str(uri))
    except ValueError:
        raise DotNetError("System.InvalidOperationException", _RELATIVE_URI) from None
    scheme = "file" if str(uri).startswith("/") else url.scheme.lower()
    if scheme and scheme not in ("http", "https"):
        message = f"The '{scheme}' scheme is not supported."
        raise DotNetError("System.NotSupportedException", message)
    if not url.absolute or not url.host:
        raise DotNetError("System.InvalidOperationException", _RELATIVE_URI)
    return url


async def call_http(
    session: aiohttp.ClientSession, request: dict[str, Any], timeout_s: float
) -> tuple[bool, str, str | None]:
    """Run the request; return (succeeded, Result JSON or Reason, Details)."""
    method = request.get("method")
    method = method.upper() if isinstance(method, str) else "GET"
    try:
        headers, body = request_message(request)
        if request.get("tokenSource"):
            return False, "devhost: managed identity tokens (tokenSource) are not available", None
        url = request_uri(request.get("uri"))
        return True, h.dumps(await _send(session, method, url, headers, body, timeout_s)), None
    except DotNetError as exc:
        return False, str(exc), exc.details
    except TimeoutError:
        reason = (
            "The request was canceled due to the configured HttpClient.Timeout of "
            f"{timeout_s:g} seconds elapsing."
        )
        details = (
            "Unhandled exception while executing task: "
            f"System.Threading.Tasks.TaskCanceledException: {reason}"
        )
        return False, reason, details
    except (aiohttp.ClientError, OSError, ValueError) as exc:
        reason = _send_error(exc)
        return False, reason, f"System.Net.Http.HttpRequestException: {reason}"


async def _send(
    session: aiohttp.ClientSession,
    method: str,
    url: URL,
    headers: list[tuple[str, str]],
    body: bytes | None,
    timeout_s: float,
) -> dict[str, Any]:
    """`HttpClient.SendAsync`, then `CreateDurableHttpResponseWithHttpResponseMessage`.

    Past MaxAutomaticRedirections, RedirectHandler.SendAsync "just return[s] the 3xx response";
    aiohttp raises at its limit instead (after closing that answer, so its body is lost: the
    content is then empty), hence one more than .NET's limit and the last answer of its history.
    """
    try:
        async with session.request(
            method,
            url,
            data=body,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout_s),
            max_redirects=_REDIRECTS + 1,
        ) as resp:
            check_response_headers_length(resp.raw_headers)
            raw = await resp.read()
            content_type = resp.headers.get("Content-Type")
            return {
                "statusCode": resp.status,
                "headers": response_headers(resp.raw_headers),
                "content": read_as_string(raw, content_type),
            }
    except aiohttp.TooManyRedirects as exc:
        last = exc.history[-1]
        headers_out = response_headers(last.raw_headers)
        return {"statusCode": last.status, "headers": headers_out, "content": ""}


def _send_error(exc: BaseException) -> str:
    """HttpRequestException's message: SocketsHttpHandler names the error and `host:port`,
    never the path or query."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        error = exc.os_error
        text = os.strerror(error.errno) if error.errno and error.errno > 0 else error.strerror
        return f"{text or _SEND_FAILED} ({exc.host}:{exc.port})"
    return _SEND_FAILED
