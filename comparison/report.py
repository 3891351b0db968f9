"""The comparison table: one row per orchestrator, built from the public endpoints' answers.

A row joins two sources: the run summary (``GET /api/runs/{id}``: status, duration, replay
figures) and the billing API's per-run counters (``by_run`` of ``GET /api/billing/stats``:
every POST it received, durable or raw, and how many distinct invoices they carried).
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
    format_duration,
    projected_seconds,
)

COLUMNS = (
    "orchestrator",
    "status",
    "wall time",
    "episodes",
    "history",
    "billing POSTs",
    "distinct",
    "durable calls",
    "Azure (model)*",
)
LEGEND = (
    "wall time: from the start request until a poll saw the run finish. history: events in the\n"
    "status API's history. billing POSTs: what the billing API received from the run, raw and\n"
    "durable; distinct: distinct invoices among them. durable calls: call_http in history."
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
    )


def render_table(rows: Sequence[RunRow], params: ModelParams = DEFAULT_PARAMS) -> str:
    """The table as aligned plain text, with the model's footnote."""
    cells = [list(COLUMNS)] + [_cells(row) for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]

    def line(values: list[str]) -> str:
        first = values[0].ljust(widths[0])
        rest = (v.rjust(w) for v, w in zip(values[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(cells[0]), rule, *(line(c) for c in cells[1:])]
    counts = {row.count for row in rows}
    n = counts.pop() if len(counts) == 1 else "N"
    body += ["", LEGEND, footnote(params, n)]
    return "\n".join(body)


def footnote(params: ModelParams, n: int | str = "N") -> str:
    """What the projected column is: a model, with its parameters."""
    return (
        f"* A model, not a measurement (N={n}): T = L x (raw calls + sequential durable calls)"
        " + D x episodes,\n"
        f"  L = {params.call_latency_s:.3f} s per HTTP call, D = {params.episode_dispatch_s:.3f} s"
        f" per episode, a fan-out runs {params.parallelism} calls at a time. Calibrated on\n"
        "  the published 15 min (anti-pattern) and ~2 min (call_http) at N=50; docs/cost-model.md."
    )


def _cells(row: RunRow) -> list[str]:
    projected = row.projected_seconds
    return [
        row.name,
        row.status,
        format_duration(row.wall_seconds) if row.wall_seconds is not None else MISSING,
        _text(row.episodes),
        _text(row.history_events),
        _text(row.billing_received),
        _text(row.billing_distinct),
        _text(row.http_calls),
        format_duration(projected) if projected == projected else MISSING,  # NaN check
    ]


def _text(value: int | None) -> str:
    return MISSING if value is None else f"{value:,}"


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
