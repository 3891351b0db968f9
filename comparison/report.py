"""The comparison's rows and count tables: what each run did, and the sweep's counts per N.

A row joins two sources: the run summary (``GET /api/runs/{id}``: status, duration, replay
figures) and the billing API's per-run counters (``by_run`` of ``GET /api/billing/stats``:
every POST it received, durable or raw, and how many distinct invoices they carried).
How long the runs took is ``times.py``'s table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from comparison.cost_model import (
    DEFAULT_PARAMS,
    Counts,
    ModelParams,
    expected_counts,
    projected_seconds,
)
from comparison.host_time import HostTime
from contract import ORCHESTRATORS

COLUMNS = (
    "orchestrator",
    "status",
    "episodes",
    "billing POSTs",
    "distinct",
    "non-2xx",
    "durable",
)
LEGEND = (
    "episodes: how often the orchestrator ran. billing POSTs: what the billing API\n"
    "received from the run, raw and durable; distinct: invoices among them. non-2xx:\n"
    "invoices whose answer in history was no receipt (n/a: raw POSTs are not in\n"
    "history). durable: call_http in history."
)
MISSING = "n/a"


@dataclass(frozen=True)
class RunRow:
    """What the table shows for one run; None means the host did not report it."""

    name: str
    instance_id: str
    count: int
    status: str
    wall_seconds: float | None
    episodes: int | None
    history_events: int | None
    billing_received: int | None
    billing_distinct: int | None
    http_calls: int | None
    projected_seconds: float
    non_2xx: int | None = None
    episode_wall_s: tuple[float, ...] | None = None
    host: HostTime | None = None  # the demo's split of the wall time (host_time.py)


def build_row(
    summary: dict[str, Any],
    billing: dict[str, Any] | None,
    count: int,
    *,
    max_parallel: int | None = None,
    params: ModelParams = DEFAULT_PARAMS,
    observed_seconds: float | None = None,
) -> RunRow:
    """Join a run summary and the billing stats into a row, with the model's projection.

    The projection charges the measured counts; whatever the host did not report (episodes on
    ``func start``, billing on a real API) falls back to the replay rules' prediction.
    The wall time is ``observed_seconds`` (the client's clock) when given, else the summary's
    ``duration_seconds`` (the status API's timestamps, whole seconds).
    """
    name = str(summary.get("name") or "?")
    replay = summary.get("replay") or {}
    per_run = ((billing or {}).get("by_run") or {}).get(summary.get("instance_id", ""))
    received = _int(per_run.get("received")) if per_run else (0 if billing else None)
    distinct = _int(per_run.get("distinct_invoices")) if per_run else (0 if billing else None)
    http_calls = _int(replay.get("http_calls"))
    episodes = _int(replay.get("episodes"))
    try:
        expected = expected_counts(name, count, max_parallel)
    except ValueError:
        expected = None
    projected = float("nan")
    if expected:
        measured = Counts(
            raw_calls=max(0, received - (http_calls or 0))
            if received is not None
            else expected.raw_calls,
            http_calls=http_calls if http_calls is not None else expected.http_calls,
            episodes=episodes if episodes is not None else expected.episodes,
            activities=_int(replay.get("activities")) or expected.activities,
        )
        projected = projected_seconds(
            name, count, measured, max_parallel=max_parallel, params=params
        )
    return RunRow(
        name=name,
        instance_id=str(summary.get("instance_id", "")),
        count=count,
        status=str(summary.get("runtime_status") or "?"),
        wall_seconds=observed_seconds
        if observed_seconds is not None
        else _float(summary.get("duration_seconds")),
        episodes=episodes,
        history_events=_int(replay.get("history_events")),
        billing_received=received,
        billing_distinct=distinct,
        http_calls=http_calls,
        projected_seconds=projected,
        non_2xx=_non_2xx(summary),
        episode_wall_s=_floats(replay.get("episode_wall_s")),
    )


def render_table(rows: Sequence[RunRow]) -> str:
    """What each run did, as aligned plain text under 80 columns, with its legend."""
    return "\n".join([*aligned([list(COLUMNS)] + [_cells(row) for row in rows]), "", LEGEND])


def render_sweep(rows: Sequence[RunRow], ns: Sequence[int]) -> str:
    """The sweep: billing POSTs / episodes per N; ``!`` and the expected pair where they differ."""
    by_key = {(r.name, r.count): r for r in rows}
    lines = [
        "Sweep: billing POSTs / episodes per run (! where the replay rules differ)",
        "    N" + "".join(f"  {name:>22}" for name in ORCHESTRATORS),
    ]
    notes = []
    for n in ns:
        cells = []
        for name in ORCHESTRATORS:
            row = by_key.get((name, n))
            posts = None if row is None else row.billing_received
            episodes = None if row is None else row.episodes
            expected = expected_counts(name, n)
            want = (expected.raw_calls + expected.http_calls, expected.episodes)
            mark = "" if (posts, episodes) == want else " !"
            cells.append(f"{_pair(posts, episodes)}{mark}")
            if mark:
                notes.append(f"! {name} at N={n}: expected {_pair(*want)}")
        lines.append(f"{n:>5}" + "".join(f"  {cell:>22}" for cell in cells))
    return "\n".join(lines + notes)


def _pair(posts: int | None, episodes: int | None) -> str:
    return f"{_text(posts).replace(MISSING, '?')} / {_text(episodes).replace(MISSING, '?')}"


def aligned(lines: list[list[str]]) -> list[str]:
    """Left-aligned first column, right-aligned others, a rule under the header."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]

    def line(values: list[str]) -> str:
        first = values[0].ljust(widths[0])
        rest = (v.rjust(w) for v, w in zip(values[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [line(lines[0]), rule, *(line(values) for values in lines[1:])]


def _cells(row: RunRow) -> list[str]:
    return [
        row.name,
        row.status,
        _text(row.episodes),
        _text(row.billing_received),
        _text(row.billing_distinct),
        _text(row.non_2xx),
        _text(row.http_calls),
    ]


def _non_2xx(summary: dict[str, Any]) -> int | None:
    """Invoices not billed (answered without a receipt), from the run summary's
    ``billing.failed``, which counts them from history; None when history cannot tell (the
    anti-pattern's raw POSTs are not durable actions).
    """
    billing = summary.get("billing")
    return _int(billing.get("failed")) if isinstance(billing, dict) else None


def _floats(values: Any) -> tuple[float, ...] | None:
    if not isinstance(values, list):
        return None
    return tuple(float(v) for v in values if isinstance(v, int | float))


def _text(value: int | None) -> str:
    return MISSING if value is None else f"{value:,}"


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
