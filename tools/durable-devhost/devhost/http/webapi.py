"""How the extension's ASP.NET Web API answers and reads: JSON bodies, `HttpError`, numbers.

The Durable HTTP API (`durable_api`) answers in these shapes whatever the route, so they live
apart from its routing: `HttpRequestMessage.CreateErrorResponse` as Web API serialises it,
`double.ToString()` in messages, and `HttpContent.ReadAsStringAsync` of a request body.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from devhost.http.newtonsoft_json import JsonReaderError

_JSON = "application/json; charset=utf-8"


class ArgumentError(ValueError):
    """An `ArgumentException` the extension answers with 400."""


def dotnet_double(value: float) -> str:
    """`double.ToString()` for the plain cases: no ".0" on whole numbers."""
    return str(int(value)) if value.is_integer() else repr(value)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    """``body`` as JSON, with the Content-Type Web API's JSON formatter sends."""
    response = web.Response(status=status, text=json.dumps(body), headers=headers)
    response.headers["Content-Type"] = _JSON
    return response


def http_error(
    status: int,
    message: str,
    exc: BaseException | None = None,
    exc_type: str = "System.ArgumentException",
) -> web.Response:
    """`request.CreateErrorResponse(status, message[, exception])` as Web API serialises it."""
    body: dict[str, Any] = {"Message": message}
    if exc is not None:
        body |= {"ExceptionMessage": str(exc), "ExceptionType": exc_type, "StackTrace": None}
    return json_response(status, body)


def invalid_json(exc: JsonReaderError) -> web.Response:
    """The 400 for a body Newtonsoft's reader refuses (`catch (JsonReaderException e)`)."""
    return http_error(
        400, "Invalid JSON content", exc, exc_type="Newtonsoft.Json.JsonReaderException"
    )


async def read_text(request: web.Request) -> str:
    """`HttpContent.ReadAsStringAsync`: undecodable bytes become U+FFFD, never an exception,
    and a byte order mark is dropped (`ReadBufferAsString` skips the preamble it detects)."""
    body = await request.read()
    try:
        text = body.decode(request.charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know: read it as UTF-8
        text = body.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff")
