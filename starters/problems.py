"""RFC 9457 problem details, and the small HTTP helpers every route shares.

Every 4xx this app returns is a problem; its ``detail`` says what was wrong and what is allowed,
and never echoes raw input back.
"""

from __future__ import annotations

import json

import azure.functions as func

PROBLEM_JSON = "application/problem+json"
MAX_DETAIL_CHARS = 300  # a detail names what was wrong; it never carries the caller's input
_TITLES = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class Problem(Exception):
    """Raised while handling a request; turned into a problem+json response at the edge."""

    def __init__(self, status: int, detail: str, code: str | None = None) -> None:
        detail = (
            detail if len(detail) <= MAX_DETAIL_CHARS else detail[: MAX_DETAIL_CHARS - 3] + "..."
        )
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code  # an extension member a client can branch on, as payment APIs send

    def to_response(self) -> func.HttpResponse:
        """The ``application/problem+json`` response for this problem."""
        title = _TITLES.get(self.status, "Error")
        body = {
            # RFC 9457: "about:blank" says the status code is all the semantics there is.
            "type": "about:blank",
            "title": title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.code is not None:
            body["code"] = self.code
        return func.HttpResponse(
            json.dumps(body), status_code=self.status, mimetype=PROBLEM_JSON, charset="utf-8"
        )


def json_response(body: object, status_code: int = 200) -> func.HttpResponse:
    """A plain JSON response."""
    return func.HttpResponse(
        json.dumps(body), status_code=status_code, mimetype="application/json", charset="utf-8"
    )


def excerpt(text: str, limit: int = 20) -> str:
    """At most ``limit`` characters of caller input, for a detail that must name it."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


def media_type(req: func.HttpRequest, default: str = "") -> str:
    """The request's media type, lower-cased and without parameters such as ``charset``."""
    return (req.headers.get("content-type") or default).split(";")[0].strip().lower()
