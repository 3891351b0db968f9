"""What the Functions host's web server (Kestrel) enforces before a request reaches a function.

- A Host header Kestrel rejects (`HttpUtilities.IsHostHeaderValid` in dotnet/aspnetcore: a port
  must be digits, `[` must close, no bare `:port`), or two of them, or none on HTTP/1.1, is a 400
  with an empty body on every route. devhost also rejects a port above 65535 (`x:99999`): no URL
  can carry it, and the real host then fails later, inside whatever builds a `Uri` from it.
- Bodies are passed on as received: the host never decompresses a request body (no request
  decompression anywhere in Azure/azure-functions-host `src/`), so a gzip body reaches the
  function as gzip bytes and can never inflate in memory. The limit, 104857600 bytes
  (`ScriptConstants.DefaultMaxRequestBodySize`, set on Kestrel in `Program.cs`), applies to
  those bytes: 413 past it, and at once when the Content-Length already says so (Kestrel's
  `Http1ContentLengthMessageBody.OnReadStarting`), instead of waiting for a body never sent.
- Idle connections close: Kestrel's `KeepAliveTimeout` is 130 s (before the first request, between
  requests, and while headers are incomplete). A body that stops arriving is a 408, as Kestrel's
  minimum request body data rate answers; devhost times the silence, not the rate.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable

from aiohttp import web

MAX_REQUEST_BYTES = 104_857_600
IDLE_TIMEOUT_S = 130.0

# RFC 3986 reg-name / IPv4 characters (unreserved, sub-delims, pct-encoded), then an optional
# all-digit port; or a bracketed IPv6 literal of hex digits, ':' and '.', then the same port.
_HOST = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=%]+|\[[0-9A-Fa-f:.]{2,}\])(?::([0-9]+))?")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Middleware = Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]


def host_header_is_valid(value: str) -> bool:
    """Kestrel's rule (empty is allowed), plus a port that fits in 16 bits."""
    if value == "":
        return True
    match = _HOST.fullmatch(value)
    if match is None:
        return False
    port = match.group(1)
    return port is None or int(port) <= 65535


def bad_request() -> web.Response:
    """Kestrel's answer to a request it rejects: 400, empty body, connection closed."""
    return web.Response(status=400, headers={"Connection": "close"})


async def read_body(request: web.Request, idle_timeout_s: float) -> bytes:
    """`request.read()` (413 past the app's client_max_size), 408 if the bytes stop coming.

    The read is checked every `idle_timeout_s`: if no new byte arrived since the last check,
    it is cancelled. A slow but steady upload is never cut off.
    """
    reading = asyncio.ensure_future(request.read())
    seen = -1
    while True:
        done, _ = await asyncio.wait({reading}, timeout=idle_timeout_s)
        if done:
            return reading.result()
        received = request.content.total_raw_bytes
        if received == seen:
            reading.cancel()
            raise web.HTTPRequestTimeout(headers={"Connection": "close"})
        seen = received


def kestrel_limits(
    idle_timeout_s: float, max_request_bytes: int = MAX_REQUEST_BYTES
) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """An aiohttp middleware: check Host, read the whole body, then hand the request on."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        hosts = request.headers.getall("Host", [])
        if len(hosts) > 1 or not host_header_is_valid(hosts[0] if hosts else ""):
            return bad_request()
        if not hosts and request.version >= (1, 1):
            return bad_request()
        if (request.content_length or 0) > max_request_bytes:
            raise web.HTTPRequestEntityTooLarge(
                max_size=max_request_bytes,
                actual_size=request.content_length,
                headers={"Connection": "close"},
            )
        if request.body_exists:
            await read_body(request, idle_timeout_s)  # cached: handlers read it again for free
        return await handler(request)

    return middleware
