"""The host's web server limits (devhost/http/http_limits.py), checked over raw sockets.

Each rule is Kestrel's as the Functions host configures it: a Host header it rejects is a 400 on
every route, bodies pass through as sent (never decompressed) under a size limit, and idle or
stalled connections end.
"""

from __future__ import annotations

import asyncio
import gzip
import zlib

import pytest

from devhost.http.http_limits import (
    MAX_REQUEST_BYTES,
    MIN_REQUEST_BODY_DATA_RATE,
    MinDataRate,
    host_header_is_valid,
)
from devhost.http.server import EmbeddedHost

ROUTES = [
    ("GET", "/api/echo/hi"),
    ("POST", "/api/start/greet"),
    ("GET", "/runtime/webhooks/durabletask/instances/x"),
    ("GET", "/durabletask/instances/"),
    ("POST", "/durabletask/orchestrators/greet"),
    ("GET", "/no/such/route"),
]


async def _exchange(port: int, data: bytes, *, head_only: bool = False) -> bytes:
    """Send raw bytes; return what the server sends until it closes the connection (or, with
    `head_only`, until the end of the response head)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        receive = reader.readuntil(b"\r\n\r\n") if head_only else reader.read()
        return await asyncio.wait_for(receive, 10.0)
    finally:
        writer.close()


def _request(method: str, path: str, host: bytes | None, body: bytes = b"[]") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\n".encode()
    if host is not None:
        head += b"Host: " + host + b"\r\n"
    head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
    return head + body


@pytest.mark.parametrize("bad_host", [b"x:99999", b"a:b", b"[::1", b":80", b"a b"])
@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_malformed_host_header_is_a_400_on_every_route(host, method, path, bad_host):
    """Kestrel (dotnet/aspnetcore, `HttpUtilities.IsHostHeaderValid`) rejects a non-numeric port,
    an unclosed IPv6 bracket and a bare port with 400 before any middleware runs; devhost adds
    the port range (99999 cannot form a URL) instead of failing later with a 500."""
    answer = await _exchange(host.port, _request(method, path, bad_host))
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert answer.endswith(b"\r\n\r\n")  # empty body, as Kestrel sends it


async def test_two_host_headers_or_none_are_a_400(host):
    """Kestrel: `MultipleHostHeaders` and, on HTTP/1.1, `MissingHostHeader` are bad requests."""
    two = b"GET /api/echo/hi HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"
    assert (await _exchange(host.port, two)).split(b" ")[1] == b"400"  # aiohttp's parser
    none = _request("GET", "/api/echo/hi", None)
    assert (await _exchange(host.port, none)).split(b" ")[1] == b"400"
    http10 = b"GET /api/echo/hi HTTP/1.0\r\n\r\n"
    assert (await _exchange(host.port, http10)).split(b" ")[1] == b"200"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("", True),
        ("localhost", True),
        ("127.0.0.1:7071", True),
        ("[::1]:80", True),
        ("x:65535", True),
        ("x:65536", False),
        ("x:", False),
        ("[::1]x", False),
        ("a/b", False),
    ],
)
def test_host_header_rule_table(value, valid):
    """IsHostHeaderValid: empty is allowed (RFC 7230 §5.4); a port is one or more digits."""
    assert host_header_is_valid(value) is valid


def _gzip_of_zeros(size: int) -> bytes:
    """gzip of `size` zero bytes, built 1 MiB at a time (the zeros never exist at once)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    parts = [packer.compress(chunk) for _ in range(size >> 20)]
    return b"".join([*parts, packer.flush()])


async def test_a_gzip_body_reaches_the_function_as_sent_and_never_inflates(host, http):
    """Azure/azure-functions-host decompresses no request body (nothing in `src/` does), so a
    99 KiB gzip body that would inflate to 99 MiB reaches the function as those 99 KiB."""
    body = _gzip_of_zeros(99 << 20)
    assert len(body) < 100 << 10
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/octet-stream"}
    async with http.post(host.url("api/echo/hi"), data=body, headers=headers) as response:
        assert response.status == 200
        echoed = (await response.json())["body"].encode("latin-1")
    assert echoed == body
    assert len(gzip.decompress(echoed)) == 99 << 20


async def test_a_gzip_body_is_not_json_to_the_durable_api(host, http):
    """HttpApiHandler reads the content as a string: gzip bytes are invalid JSON, a 400."""
    body = gzip.compress(b'{"a": 1}')
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    url = host.url("durabletask/orchestrators/greet")
    async with http.post(url, data=body, headers=headers) as response:
        assert response.status == 400
        assert (await response.json())["Message"] == "Invalid JSON content"


async def test_body_over_the_limit_is_a_413_on_every_route(apps_dir, http):
    """Kestrel's MaxRequestBodySize, 104857600 in the host's `ScriptConstants`, answers 413;
    the limit counts the bytes as sent. A smaller limit here keeps the test light."""
    assert MAX_REQUEST_BYTES == 104857600
    async with EmbeddedHost("http_fixture_app", app_dir=apps_dir, max_request_bytes=1024) as host:
        for url in (host.url("api/echo/hi"), host.url("durabletask/orchestrators/greet")):
            async with http.post(url, data=b"1" * 1025) as response:
                assert response.status == 413
            async with http.post(url, data=b"1" * 1024) as response:
                assert response.status in (200, 202)


async def test_idle_and_half_open_connections_time_out(apps_dir):
    """Kestrel's KeepAliveTimeout (130 s by default) closes a connection that sends nothing or
    stops inside its headers; a body that stops arriving is a 408 (the data rate rule below)."""
    async with EmbeddedHost(
        "http_fixture_app",
        app_dir=apps_dir,
        idle_timeout_s=0.2,
        min_request_body_rate=MinDataRate(240.0, 0.2),
    ) as host:
        assert await _exchange(host.port, b"") == b""
        assert await _exchange(host.port, b"GET /api/echo/hi HTTP/1.1\r\nHost: a\r\n") == b""
        stalled = b"POST /api/echo/hi HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n123"
        answer = await _exchange(host.port, stalled, head_only=True)
        assert answer.startswith(b"HTTP/1.1 408 ")
        # A connection that finished a request is kept alive, then closed when idle.
        ok = b"GET /api/echo/hi HTTP/1.1\r\nHost: a\r\n\r\n"
        answer = await _exchange(host.port, ok)
        assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(b"}")


async def test_a_content_length_over_the_limit_is_a_413_before_any_body_byte(apps_dir):
    """Kestrel (dotnet/aspnetcore, `Http1ContentLengthMessageBody.OnReadStarting`) throws
    `RequestBodyTooLarge` when the declared Content-Length exceeds MaxRequestBodySize, before
    reading: a caller that announces 200 MB and sends nothing gets its 413 at once, instead
    of holding the connection until the idle timeout."""
    async with EmbeddedHost(
        "http_fixture_app", app_dir=apps_dir, max_request_bytes=1024, idle_timeout_s=30.0
    ) as host:
        for path in ("/api/echo/hi", "/durabletask/orchestrators/greet"):
            announced = f"POST {path} HTTP/1.1\r\nHost: a\r\nContent-Length: 200000000\r\n\r\n"
            answer = await _exchange(host.port, announced.encode(), head_only=True)
            assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_body_below_kestrels_min_request_body_data_rate_is_a_408():
    """Kestrel's `KestrelServerLimits.MinRequestBodyDataRate` is 240 bytes/s with a 5 s grace
    period, and the Functions host (Azure/azure-functions-host `Program.cs`) changes only
    MaxRequestBodySize: a body that stops arriving gets its 408 about 5 s in, on the next 1 s
    heartbeat (`TimeoutControl.CheckForReadDataRateTimeout`), not after the 130 s keep-alive
    timeout (twice that at worst, as devhost timed it before)."""
    assert MinDataRate(bytes_per_second=240.0, grace_s=5.0) == MIN_REQUEST_BODY_DATA_RATE
    assert EmbeddedHost("m").min_request_body_rate == MIN_REQUEST_BODY_DATA_RATE


async def test_a_body_that_trickles_below_the_rate_is_a_408(apps_dir):
    """The rate, not the silence: bytes that keep coming, but slower than the rate, still end in
    a 408 once past the grace period."""
    rate = MinDataRate(bytes_per_second=1000.0, grace_s=0.1)
    async with EmbeddedHost("http_fixture_app", app_dir=apps_dir, min_request_body_rate=rate) as h:
        reader, writer = await asyncio.open_connection("127.0.0.1", h.port)
        writer.write(b"POST /api/echo/hi HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n")
        answer = b""
        for _ in range(40):
            writer.write(b"x" * 5)
            await writer.drain()
            try:
                answer = await asyncio.wait_for(reader.readuntil(b"\r\n"), 0.05)
                break
            except TimeoutError:
                continue
        writer.close()
    assert answer.startswith(b"HTTP/1.1 408 ")


async def test_a_body_that_keeps_to_the_rate_is_never_cut_off(apps_dir):
    """Only the average rate counts: a body sent in pieces faster than the rate gets its answer
    even when it takes longer than the grace period."""
    rate = MinDataRate(bytes_per_second=10.0, grace_s=0.1)
    async with EmbeddedHost("http_fixture_app", app_dir=apps_dir, min_request_body_rate=rate) as h:
        reader, writer = await asyncio.open_connection("127.0.0.1", h.port)
        head = b"POST /api/echo/hi HTTP/1.1\r\nHost: a\r\nContent-Length: 30\r\n\r\n"
        writer.write(head)
        for _ in range(3):
            writer.write(b"x" * 10)
            await writer.drain()
            await asyncio.sleep(0.15)
        answer = await reader.readuntil(b"\r\n")
        writer.close()
    assert answer.startswith(b"HTTP/1.1 200 ")
