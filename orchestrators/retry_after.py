"""How long a billing API asks to be left alone: its ``Retry-After`` header (RFC 9110 §10.2.3).

Deterministic on purpose: an HTTP-date is measured from the answer's own ``Date`` header, or
else from ``context.current_utc_datetime``, never from the machine's clock. Header names are
matched without regard to case (the platform hands them over with .NET's casing), and a value
may arrive as a list (.NET's multi-value headers).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

RETRY_AFTER = "Retry-After"
_DELTA_SECONDS = re.compile(r"[0-9]+")  # ASCII digits only
_LONGEST = 10**10  # seconds; any longer wait is capped by the caller anyway


def header(headers: Any, name: str) -> str | None:
    """The first value of header ``name`` in a durable HTTP response's headers, or None."""
    if not isinstance(headers, dict):
        return None
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name.lower():
            value = value[0] if isinstance(value, list) and value else value
            return value if isinstance(value, str) else None
    return None


def _http_date(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        when = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def retry_after(headers: Any, now: datetime) -> timedelta | None:
    """The wait a response's ``Retry-After`` asks for; None when it has none we can read."""
    value = header(headers, RETRY_AFTER)
    if value is None:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):  # int() of thousands of digits would raise
        return timedelta(seconds=int(value) if len(value) <= 10 else _LONGEST)
    when = _http_date(value)
    if when is None:
        return None
    base = _http_date(header(headers, "Date")) or (
        now.replace(tzinfo=UTC) if now.tzinfo is None else now
    )
    return max(when - base, timedelta(0))
