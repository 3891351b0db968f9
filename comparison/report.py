"""The comparison tables: what each run did, and how long it took beside the published run.

A row joins two sources: the run summary (``GET /api/runs/{id}``: status, duration, replay
figures) and the billing API's per-run counters (``by_run`` of ``GET /api/billing/stats``:
every POST it received, durable or raw, and how many distinct invoices they carried).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from comparison.cost_model import (
    DEFAULT_PARAMS,
    PUBLISHED_N,
    PUBLISHED_RATIO,
    PUBLISHED_SECONDS,
    Counts,
    ModelParams,
    expected_counts,
    format_duration,
    projected_seconds,
)
from comparison.profile import AzureLikeProfile
from contract import CALL_HTTP_LOOP, RAW_HTTP_LOOP

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
RATIO_LABEL = "raw : call_http"


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
    return "\n".join([*_aligned([list(COLUMNS)] + [_cells(row) for row in rows]), "", LEGEND])


def render_times(
    rows: Sequence[RunRow],
    profile: AzureLikeProfile | None = None,
    params: ModelParams = DEFAULT_PARAMS,
) -> str:
    """How long each run took, beside the published run and the model's projection.

    Under the Azure-like ``profile`` a column scales the measured time back to Azure.
    """
    scale = f"x{1 / profile.time_scale:.0f} (Azure)" if profile else None
    header = ["orchestrator", "measured", *([scale] if scale else []), "published", "model*"]
    lines = [header]
    by_name = {row.name: row for row in rows}
    for row in rows:
        measured = row.wall_seconds
        cells = [row.name, _duration(measured)]
        if profile:
            cells.append(_duration(None if measured is None else profile.azure_seconds(measured)))
        published = PUBLISHED_SECONDS.get(row.name) if row.count == PUBLISHED_N else None
        cells += [_duration(published), _duration(row.projected_seconds)]
        lines.append(cells)
    raw, loop = by_name.get(RAW_HTTP_LOOP), by_name.get(CALL_HTTP_LOOP)
    if raw and loop:
        ratio = [RATIO_LABEL, _ratio(raw.wall_seconds, loop.wall_seconds)]
        ratio += [""] if profile else []
        ratio += [f"{PUBLISHED_RATIO:.1f}x" if raw.count == PUBLISHED_N else "-"]
        ratio += [_ratio(raw.projected_seconds, loop.projected_seconds)]
        lines.append(ratio)
    counts = {row.count for row in rows}
    n = counts.pop() if len(counts) == 1 else "N"
    return "\n".join([*_aligned(lines), "", footnote(params, n)])


def footnote(params: ModelParams, n: int | str = "N") -> str:
    """What the model column is, with its parameters."""
    return (
        f"* A model, not a measurement (N={n}): T = L x (raw calls + sequential durable\n"
        f"  calls) + D x episodes, L = {params.call_latency_s:.3f} s per call,"
        f" D = {params.episode_dispatch_s:.3f} s per episode, {params.parallelism} calls\n"
        "  at a time in a fan-out. Calibrated on the published 15 min and ~2 min at N=50."
    )


def _aligned(lines: list[list[str]]) -> list[str]:
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


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return MISSING if math.isnan(seconds) else format_duration(seconds)  # NaN: no projection


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator or math.isnan(numerator):
        return MISSING
    return f"{numerator / denominator:.1f}x"


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
