"""Keep credentials out of what the app writes: log lines, failure messages, outputs, summaries.

A billing URL may carry a key (``https://user:pass@host/path?code=...``). Everything the app
shows of a URL goes through ``redact_url``; free text that may contain URLs (an exception's
message) goes through ``redact_text``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

REDACTED = "REDACTED"
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
    """``text`` with every URL in it redacted."""
    return _URL.sub(lambda match: redact_url(match.group(0)), text)
