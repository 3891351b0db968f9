"""Keep credentials out of what the app writes: log lines, failure messages, outputs, summaries.

A billing URL may carry a key (``https://user:pass@host/path?code=...``). Everything the app
shows of a URL goes through ``redact_url``; free text that may contain URLs (an exception's
message) goes through ``redact_text``.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

REDACTED = "REDACTED"
_QUERY = re.compile(r"\?[A-Za-z0-9_.~%-]+=[^\s'\"<>]*")  # "?code=..." after a bare path
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>\[\]]+")


def redact_url(url: str) -> str:
    """The URL without user info and with its query string and fragment replaced."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return REDACTED
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc += f":{port}"
    if parts.username is not None or parts.password is not None:
        netloc = f"{REDACTED}@{netloc}"
    query = REDACTED if parts.query else ""
    fragment = REDACTED if parts.fragment else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


def redact_text(text: str) -> str:
    """``text`` with every URL, and every query string after a bare path, redacted."""
    text = _URL.sub(lambda match: redact_url(match.group(0)), text)
    return _QUERY.sub(f"?{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """Redacts URLs in a record's final message (the app's own lines and the HTTP libraries',
    such as urllib3's debug line that carries the request path and query string)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


# Loggers whose records may carry a billing URL: the app's own (root) and the HTTP clients'.
# A filter on a logger sees the records created on that logger, before they propagate.
LOGGERS = ("", "urllib3.connectionpool", "requests", "aiohttp.client")


def install_log_redaction() -> None:
    """Add one ``RedactingFilter`` to each logger in ``LOGGERS`` (safe to call again)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
