"""BuiltIn::HttpActivity: the extension's durable HTTP call for Python (spec §4.4).

One real request, no 202 polling (Python sends no asynchronousPatternEnabled), a client
timeout, any status is a value, and a transport error becomes TaskFailed with its message.
The request message is built as `TaskHttpActivityShim.ConvertToHttpRequestMessage` builds it
(see `request_message`), so a request .NET refuses fails here too.
"""

from __future__ import annotations

import re
from typing import Any

import aiohttp

from devhost.replay import history as h

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


# .NET's HttpRequestHeaders refuses these names (HttpHeaders.Add: "Misused header name").
_MISUSED = _CONTENT_HEADERS - {"content-type"}
_FORM = "application/x-www-form-urlencoded"
# RFC 7230 token characters; MediaTypeHeaderValue(string) takes exactly `token/token`.
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_MEDIA_TYPE = re.compile(f"{_TOKEN}/{_TOKEN}")
_DETAILS = "Unhandled exception while executing task: {type}: {message}"


class RefusedRequestError(Exception):
    """.NET threw while building the HttpRequestMessage: the task fails with this message."""

    def __init__(self, exception_type: str, message: str) -> None:
        super().__init__(message)
        self.details = _DETAILS.format(type=exception_type, message=message)


def request_message(request: dict[str, Any]) -> tuple[list[tuple[str, str]], bytes | None]:
    """Headers and body as `TaskHttpActivityShim.ConvertToHttpRequestMessage` makes them.

    Azure/azure-functions-durable-extension, src/WebJobs.Extensions.DurableTask/Listener/
    TaskHttpActivityShim.cs: Content-Type values go to the content (any value containing
    "multipart" throws), every other header goes to `requestMessage.Headers.Add`, which throws
    for a content header such as Content-Language; with content, the type defaults to
    "text/plain" and is set through `new MediaTypeHeaderValue(contentType)`, which throws
    FormatException for anything but `type/subtype` (so "application/json; charset=utf-8"
    fails), except that application/x-www-form-urlencoded goes through StringContent and gains
    "; charset=utf-8". The messages are .NET's (dotnet/runtime System.Net.Http strings
    net_http_headers_invalid_value, net_http_headers_not_allowed_header_name,
    net_http_headers_invalid_header_name). Raises RefusedRequestError.
    """
    headers: list[tuple[str, str]] = []
    content_type = ""
    for name, value in (request.get("headers") or {}).items():
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        if name.lower() == "content-type":
            for item in values:
                if "multipart" in item:
                    raise RefusedRequestError(
                        "Microsoft.Azure.WebJobs.Extensions.DurableTask.FunctionFailedException",
                        "Multipart content is not supported with CallHttpAsync.",
                    )
                content_type = item
        elif not re.fullmatch(_TOKEN, name):
            raise RefusedRequestError(
                "System.FormatException", "The header name format is invalid."
            )
        elif name.lower() in _MISUSED:
            raise RefusedRequestError(
                "System.InvalidOperationException",
                f"Misused header name, '{name}'. Make sure request headers are used with "
                "HttpRequestMessage, response headers with HttpResponseMessage, and content "
                "headers with HttpContent objects.",
            )
        else:
            headers.extend((name, v) for v in values)
    if request.get("content") is None:
        return headers, None
    content_type = content_type or "text/plain"
    if content_type.lower() == _FORM:
        content_type += "; charset=utf-8"
    elif not _MEDIA_TYPE.fullmatch(content_type):
        raise RefusedRequestError(
            "System.FormatException", f"The format of value '{content_type}' is invalid."
        )
    headers.append(("Content-Type", content_type))
    return headers, str(request["content"]).encode("utf-8")


async def call_http(
    session: aiohttp.ClientSession, request: dict[str, Any], timeout_s: float
) -> tuple[bool, str, str | None]:
    """Run the request; return (succeeded, Result JSON or Reason, Details)."""
    method = request.get("method")
    method = method.upper() if isinstance(method, str) else "GET"
    try:
        headers, body = request_message(request)
    except RefusedRequestError as exc:
        return False, str(exc), exc.details
    if request.get("tokenSource"):
        return False, "devhost: managed identity tokens (tokenSource) are not available", None
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
