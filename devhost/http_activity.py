"""BuiltIn::HttpActivity: the extension's durable HTTP call for Python (spec §4.4).

One real request, no 202 polling (Python sends no asynchronousPatternEnabled), a client
timeout, any status is a value, and a transport error becomes TaskFailed with its message.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from . import history as h

USER_AGENT = "Microsoft.Azure.WebJobs.Extensions.DurableTask/2.13.7 (devhost)"
# HttpContentHeaders: .NET keeps these on the content, so DurableHttpResponse never has them.
_CONTENT_HEADERS = frozenset(
    name.lower()
    for name in [
        "Allow",
        "Content-Disposition",
        "Content-Encoding",
        "Content-Language",
        "Content-Length",
        "Content-Location",
        "Content-MD5",
        "Content-Range",
        "Content-Type",
        "Expires",
        "Last-Modified",
    ]
)


async def call_http(
    session: aiohttp.ClientSession, request: dict[str, Any], timeout_s: float
) -> tuple[bool, str, str | None]:
    """Run the request; return (succeeded, Result JSON or Reason, Details)."""
    method = request.get("method")
    method = method.upper() if isinstance(method, str) else "GET"
    headers: list[tuple[str, str]] = []
    content_type = "text/plain; charset=utf-8"
    for name, value in (request.get("headers") or {}).items():
        values = value if isinstance(value, list) else [value]
        if name.lower() == "content-type":
            content_type = str(values[0])
            continue
        headers.extend((name, str(v)) for v in values)
    if request.get("tokenSource"):
        return False, "devhost: managed identity tokens (tokenSource) are not available", None
    body = None
    if request.get("content") is not None:
        body = str(request["content"]).encode("utf-8")
        headers.append(("Content-Type", content_type))
    headers.append(("User-Agent", USER_AGENT))
    try:
        async with session.request(
            method,
            request["uri"],
            data=body,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout_s),
        ) as resp:
            text = await resp.text(errors="replace")
            result = {"statusCode": resp.status, "headers": _headers(resp), "content": text}
            return True, h.dumps(result), None
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
        reason = str(exc) or type(exc).__name__
        return False, reason, f"System.Net.Http.HttpRequestException: {reason}"


def _headers(resp: aiohttp.ClientResponse) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for name in resp.headers:
        if name.lower() in _CONTENT_HEADERS or name in out:
            continue
        values = resp.headers.getall(name)
        out[name] = values[0] if len(values) == 1 else list(values)
    return out
