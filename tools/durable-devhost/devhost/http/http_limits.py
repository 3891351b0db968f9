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
  requests, and while headers are incomplete).
- A body that arrives too slowly is a 408: Kestrel's `MinRequestBodyDataRate` (240 bytes/s after
  a 5 s grace period; the Functions host's `Program.cs` leaves it as it is) is checked on each
  1 s heartbeat (`TimeoutControl.CheckForReadDataRateTimeout`: bytes read / seconds spent
  reading, once past the grace period). So a body that stops arriving gets its 408 after about
  5 s, not after the keep-alive timeout.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

MAX_REQUEST_BYTES = 104_857_600
IDLE_TIMEOUT_S = 130.0
HEARTBEAT_S = 1.0  # Kestrel's Heartbeat.Interval: how often it checks timeouts and data rates


@dataclass(frozen=True)
class MinDataRate:
    """Kestrel's `MinDataRate`: the least average rate once `grace_s` has passed."""

    bytes_per_second: float = 240.0
    grace_s: float = 5.0


MIN_REQUEST_BODY_DATA_RATE = MinDataRate()  # KestrelServerLimits.MinRequestBodyDataRate

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


async def read_body(request: web.Request, rate: MinDataRate) -> bytes:
    """`request.read()` (413 past the app's client_max_size), 408 if the bytes come too slowly.

    Each heartbeat past the grace period compares the bytes received with `rate` over the time
    spent reading, as Kestrel's `TimeoutControl` does; a body that keeps to the rate is never
    cut off, however long it takes.
    """
    loop = asyncio.get_running_loop()
    reading = asyncio.ensure_future(request.read())
    started = loop.time()
    while True:
        done, _ = await asyncio.wait({reading}, timeout=min(HEARTBEAT_S, rate.grace_s))
        if done:
            return reading.result()
        elapsed = loop.time() - started
        received = request.content.total_raw_bytes
        if elapsed > rate.grace_s and received / elapsed < rate.bytes_per_second:
            reading.cancel()
            raise web.HTTPRequestTimeout(headers={"Connection": "close"})


def kestrel_limits(
    max_request_bytes: int = MAX_REQUEST_BYTES,
    body_rate: MinDataRate = MIN_REQUEST_BODY_DATA_RATE,
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
            await read_body(request, body_rate)  # cached: handlers read it again for free
        return await handler(request)

    return middleware
