"""Query-string parsing and instance filtering for the Durable HTTP API, as the extension does it.

`HttpApiHandler` reads booleans with .NET `bool.TryParse`, times with `DateTime.TryParse`,
`runtimeStatus` as a comma-separated list of enum names (or numbers), and pages the instance
list with `top` and the `x-ms-continuation-token` header.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from multidict import MultiMapping

from devhost.history import STATUS_NAMES, TERMINAL_STATUSES

# Runtime status names as the API reports them: terminal ones, and all the others.
TERMINAL = frozenset(STATUS_NAMES[s] for s in TERMINAL_STATUSES)
RUNNING = frozenset(STATUS_NAMES) - TERMINAL
CONTINUATION_HEADER = "x-ms-continuation-token"


def parse_bool(query: Mapping[str, str], key: str) -> bool | None:
    """.NET `bool.TryParse`: "true"/"false" in any case; None when absent or malformed."""
    value = (query.get(key) or "").strip().lower()
    return {"true": True, "false": False}.get(value)


def parse_time(text: str | None) -> datetime | None:
    """An ISO time (the SDK sends `%Y-%m-%dT%H:%M:%S.%fZ`); naive times are taken as UTC."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def parse_count(text: str | None) -> int:
    """A non-negative int, 0 when absent or malformed (`int.TryParse` failing)."""
    return int(text) if text and text.strip().isdigit() else 0


def parse_statuses(query: MultiMapping[str]) -> set[str]:
    """`runtimeStatus=Running,Pending` (names or enum numbers); unknown items are ignored."""
    found: set[str] = set()
    for raw in query.getall("runtimeStatus", []):
        for item in (part.strip() for part in raw.split(",")):
            if item in STATUS_NAMES:
                found.add(item)
            elif item.isdigit() and int(item) < len(STATUS_NAMES):
                found.add(STATUS_NAMES[int(item)])
    return found


def matching(rows: Iterable[dict[str, Any]], query: MultiMapping[str]) -> list[dict[str, Any]]:
    """Rows whose createdTime, runtimeStatus and instance id prefix match the query."""
    since, until = parse_time(query.get("createdTimeFrom")), parse_time(query.get("createdTimeTo"))
    wanted = parse_statuses(query)
    prefix = query.get("instanceIdPrefix")
    out = []
    for row in rows:
        created = parse_time(row.get("createdTime"))
        if since and (created is None or created < since.replace(microsecond=0)):
            continue
        if until and (created is None or created > until):
            continue
        if wanted and row.get("runtimeStatus") not in wanted:
            continue
        if prefix is not None and not row["instanceId"].startswith(prefix):
            continue
        out.append(row)
    return out


def page(rows: list[Any], top: int, token: str | None) -> tuple[list[Any], str]:
    """One page of `top` rows (all when 0) after `token`; the next token, "" at the end."""
    start = parse_count(token)
    if not top:
        return rows[start:], ""
    more = start + top < len(rows)
    return rows[start : start + top], str(start + top) if more else ""
