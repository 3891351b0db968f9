"""The demo's results as data: out/demo.json, which the figure and any other tool read.

    {"profile": {"time_scale", "L_s", "D_s", "billing_latency_ms", "episode_cost_ms"},
     "published": {"n", "raw_http_loop_s", "call_http_loop_s", "ratio", "first_pass_s",
                   "last_pass_s"},
     "measured": {"ratio", "raw_call_s"},   # anti-pattern : call_http; one raw POST's cost
     "side_by_side": [run, ...],     # the three at N=50 under the profile
     "sweep_conditions": {"billing_latency_ms", "episode_cost_ms", "side_by_side"},
     "sweep": [run, ...]}

Each run holds ``orchestrator``, ``count``, ``status``, ``wall_s``, ``azure_scale_s`` (wall_s
scaled back to Azure; null in the sweep), ``model_azure_s``, ``episodes``, ``billing_posts``,
``distinct_invoices``, ``non_2xx``, ``durable_http_calls``, ``history_events`` and
``episode_wall_s`` (one duration in seconds per episode, in order). A figure the host did not
report is null. The README documents the same.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from comparison.cost_model import (
    PUBLISHED_CALL_HTTP_SECONDS,
    PUBLISHED_FIRST_PASS_SECONDS,
    PUBLISHED_LAST_PASS_SECONDS,
    PUBLISHED_N,
    PUBLISHED_RATIO,
    PUBLISHED_RAW_SECONDS,
)
from comparison.profile import AzureLikeProfile
from comparison.report import RunRow
from contract import CALL_HTTP_LOOP, RAW_HTTP_LOOP

PUBLISHED = {
    "n": PUBLISHED_N,
    "raw_http_loop_s": PUBLISHED_RAW_SECONDS,
    "call_http_loop_s": PUBLISHED_CALL_HTTP_SECONDS,
    "ratio": PUBLISHED_RATIO,
    "first_pass_s": PUBLISHED_FIRST_PASS_SECONDS,
    "last_pass_s": PUBLISHED_LAST_PASS_SECONDS,
}


def run_json(row: RunRow, profile: AzureLikeProfile | None = None) -> dict[str, Any]:
    """One run as out/demo.json holds it; ``profile`` when the run was made under it."""
    wall = row.wall_seconds
    projected = row.projected_seconds
    return {
        "orchestrator": row.name,
        "instance_id": row.instance_id,
        "count": row.count,
        "status": row.status,
        "wall_s": wall,
        "azure_scale_s": profile.azure_seconds(wall) if profile and wall is not None else None,
        "model_azure_s": None if math.isnan(projected) else projected,  # NaN: no model
        "episodes": row.episodes,
        "billing_posts": row.billing_received,
        "distinct_invoices": row.billing_distinct,
        "non_2xx": row.non_2xx,
        "durable_http_calls": row.http_calls,
        "history_events": row.history_events,
        "episode_wall_s": list(row.episode_wall_s) if row.episode_wall_s is not None else None,
    }


def demo_json(
    profile: AzureLikeProfile,
    side_by_side: Sequence[RunRow],
    sweep: Sequence[RunRow],
    sweep_latency_ms: int,
) -> dict[str, Any]:
    """The whole of out/demo.json."""
    side = [run_json(row, profile) for row in side_by_side]
    raw = next((row for row in side_by_side if row.name == RAW_HTTP_LOOP), None)
    return {
        "profile": profile.as_json(),
        "published": PUBLISHED,
        "measured": {
            "ratio": measured_ratio(side),
            "raw_call_s": raw_call_seconds(raw.episode_wall_s) if raw else None,
        },
        "side_by_side": side,
        "sweep_conditions": {
            "billing_latency_ms": sweep_latency_ms,
            "episode_cost_ms": 0,
            "side_by_side": True,
        },
        "sweep": [run_json(row) for row in sweep],
    }


def write_json(data: dict[str, Any], path: Path) -> Path:
    """Write ``data`` as indented JSON (its folder must exist); return the path."""
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def measured_ratio(runs: Sequence[dict[str, Any]]) -> float | None:
    """The anti-pattern's wall time over the ``call_http`` loop's, from demo.json runs."""
    walls = {run["orchestrator"]: run.get("wall_s") for run in runs}
    raw, loop = walls.get(RAW_HTTP_LOOP), walls.get(CALL_HTTP_LOOP)
    return raw / loop if raw and loop else None


def raw_call_seconds(episode_wall_s: Sequence[float] | None) -> float | None:
    """What one more raw POST adds to an anti-pattern episode: the slope of time per episode.

    Episode k replays k raw POSTs, so a least-squares line through (k, time of episode k),
    k >= 1, has the cost of one raw call as its slope: the billing API's latency plus the
    host's own work for the call.
    """
    if not episode_wall_s or len(episode_wall_s) < 3:
        return None
    ks = range(1, len(episode_wall_s))
    return statistics.linear_regression(ks, episode_wall_s[1:]).slope


def passes_line(row: RunRow, profile: AzureLikeProfile) -> str | None:
    """The anti-pattern's first and last episode, and the cost of one raw call, in words."""
    walls = row.episode_wall_s
    per_call = raw_call_seconds(walls)
    if row.name != RAW_HTTP_LOOP or not walls or per_call is None:
        return None
    first, last = walls[0], walls[-1]
    scale = profile.azure_seconds
    latency_ms = profile.billing_latency_ms
    own_ms = per_call * 1000 - latency_ms
    return (
        f"Anti-pattern episodes grew from {_s(first)} to {_s(last)}; x{1 / profile.time_scale:.0f}:"
        f" {_s(scale(first))} -> {_s(scale(last))}\n"
        f"(published: ~{_s(PUBLISHED_FIRST_PASS_SECONDS)} -> ~{_s(PUBLISHED_LAST_PASS_SECONDS)}"
        f" per pass). Each raw POST added {per_call * 1000:.1f} ms to an\n"
        f"episode: the billing API's {latency_ms} ms and {own_ms:.1f} ms"
        " of the host's own work,\nwhich the time scale does not shrink."
    )


def _s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
