"""Query-string parsing and instance filtering for the Durable HTTP API, as the extension does it.

`HttpApiHandler` reads booleans with .NET `bool.TryParse`, times with `DateTime.TryParse`,
`runtimeStatus` as a comma-separated list of enum names (or numbers), and pages the instance
list with `top` (100 by default) and the `x-ms-continuation-token` header. The rows come in
the Instances table's order: by instance id, its PartitionKey.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from multidict import MultiMapping

from devhost.replay.history import STATUS_NAMES, TERMINAL_STATUSES

# Runtime status names as the API reports them: terminal ones, and all the others.
TERMINAL = frozenset(STATUS_NAMES[s] for s in TERMINAL_STATUSES)
RUNNING = frozenset(STATUS_NAMES) - TERMINAL
CONTINUATION_HEADER = "x-ms-continuation-token"
# OrchestrationStatusQueryCondition.PageSize (Azure/azure-functions-durable-extension).
DEFAULT_PAGE_SIZE = 100
_INTEGER = re.compile(r"[ \t\n\v\f\r]*([+-]?)0*([0-9]+)[ \t\n\v\f\r]*")
# HttpApiHandler's TaskHubParameter and ConnectionParameter.
TASK_HUB_PARAMETER = "taskHub"
CONNECTION_PARAMETER = "connection"
_INT32 = range(-(2**31), 2**31)
UNKNOWN_STATUS = "Unknown"  # OrchestrationRuntimeStatus.Unknown = -1 (the extension's enum)


def client_query(query: Mapping[str, str], name: str) -> str | None:
    """`HttpApiHandler.GetClient`: the first key equal to `name` ignoring case whose value is
    not blank; None when there is none."""
    for key, value in query.items():
        if key.lower() == name.lower() and value.strip():
            return value
    return None


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


def try_parse_int32(text: str | None) -> int | None:
    """.NET `int.TryParse` (NumberStyles.Integer): optional white space and sign, ASCII digits,
    within Int32; None otherwise. Python's `int()` would also take `1_000`, other scripts'
    digits and any size."""
    match = _INTEGER.fullmatch(text or "")
    if match is None or len(match.group(2)) > 10:
        return None
    value = int(match.group(1) + match.group(2))
    return value if value in _INT32 else None


def parse_page_size(text: str | None) -> int:
    """`top`: `int.TryParse`, else OrchestrationStatusQueryCondition's default of 100.

    Raises ValueError for top <= 0, where DurableTask.AzureStorage 1.17.5 throws an
    ArgumentException (`new List<OrchestrationState>(top)`, `TableQuery.Take(top)`) that
    HttpApiHandler answers with 400.
    """
    top = try_parse_int32(text)
    if top is None:
        return DEFAULT_PAGE_SIZE
    if top <= 0:
        raise ValueError(f"The page size 'top' must be positive, not {top}.")
    return top


def parse_statuses(query: MultiMapping[str], *, runtime_enum: bool = False) -> set[str]:
    """`runtimeStatus=Running,Pending`: `TryGetIEnumerableQueryParameterValue` keeps each item
    .NET's `Enum.TryParse` takes: a name (case-sensitive) or any Int32, defined or not.

    A number no status has (`99`) stays in the filter as `"99"`, which no row matches: the
    tracking store queries `RuntimeStatus eq '99'` and lists nothing. Other items are ignored.
    The list reads the extension's `OrchestrationRuntimeStatus` (`runtime_enum`), whose
    `Unknown` is -1; purge reads DTFx's `OrchestrationStatus`, which has no such name.
    """
    found: set[str] = set()
    for raw in query.getall("runtimeStatus", []):
        for item in (part.strip() for part in raw.split(",")):
            if item in STATUS_NAMES:
                found.add(item)
                continue
            if runtime_enum and item == UNKNOWN_STATUS:
                item = "-1"
            number = try_parse_int32(item)
            if number is not None:
                known = 0 <= number < len(STATUS_NAMES)
                found.add(STATUS_NAMES[number] if known else str(number))
    return found


def matching(rows: Iterable[dict[str, Any]], query: MultiMapping[str]) -> Iterator[dict[str, Any]]:
    """Rows whose createdTime, runtimeStatus and instance id prefix match the query (lazily).

    ValueError (a 400) for `Unknown`/-1: AzureStorageDurabilityProvider
    `ConvertWebjobsDurableConditionToAzureStorageCondition` parses each status's name as DTFx's
    `OrchestrationStatus` with `Enum.Parse`, which has no `Unknown`.
    """
    wanted = parse_statuses(query, runtime_enum=True)
    if "-1" in wanted:
        raise ValueError(f"Requested value '{UNKNOWN_STATUS}' was not found.")
    return select(rows, query, wanted, query.get("instanceIdPrefix"))


def purge_matching(
    rows: Iterable[dict[str, Any]], query: MultiMapping[str]
) -> list[dict[str, Any]]:
    """The rows purge-by-filter deletes, as DurableTask.AzureStorage 1.17.5 picks them.

    `AzureTableTrackingStore.PurgeInstanceHistoryAsync(createdTimeFrom, createdTimeTo,
    runtimeStatus)` keeps only Completed, Terminated, Canceled and Failed from the status
    filter; an empty filter then adds no status condition at all, so without a terminal status
    in the query, running and pending instances in the time range are deleted too. The
    extension passes no instance id prefix.
    """
    return list(select(rows, query, parse_statuses(query) & TERMINAL, None))


def select(
    rows: Iterable[dict[str, Any]], query: Mapping[str, str], wanted: set[str], prefix: str | None
) -> Iterator[dict[str, Any]]:
    """Rows created in [createdTimeFrom, createdTimeTo] with a wanted status (any if empty)."""
    since, until = parse_time(query.get("createdTimeFrom")), parse_time(query.get("createdTimeTo"))
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
        yield row


def page(rows: Iterable[dict[str, Any]], top: int) -> tuple[list[Any], str]:
    """One page of at most `top` rows from `rows` (in instance id order, from the token's id).

    The token names the first instance id of the next page (as the table's NextPartitionKey
    does), so rows added or purged between pages shift nothing; "" when there is no next page.
    Only `top + 1` rows are taken from `rows`.
    """
    taken = list(itertools.islice(rows, top + 1))
    if len(taken) <= top:
        return taken, ""
    following = taken[top]["instanceId"].encode("utf-8")
    return taken[:top], base64.urlsafe_b64encode(following).decode("ascii")


def token_key(token: str | None) -> str:
    """The instance id a continuation token names ("" for no token: from the first); ValueError
    (a 400) for one that does not decode."""
    if not token:
        return ""
    try:
        return base64.urlsafe_b64decode(token.encode("ascii")).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeError):
        raise ValueError(f"The continuation token '{token}' is not valid.") from None
