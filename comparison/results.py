"""The demo's results as data: out/demo.json, which the figure and any other tool read.

    {"profile": {"time_scale", "L_s", "D_s", "billing_latency_ms", "episode_cost_ms"},
     "published": {"n", "raw_http_loop_s", "call_http_loop_s", "ratio", "first_pass_s",
                   "last_pass_s"},
     "measured": {"ratio", "wall_ratio", "raw_call_s", "host_per_raw_post_s"},
     "runs": [run, ...],             # the three at N=50 under the profile, one at a time
     "run_conditions": {"one_at_a_time"},
     "sweep_conditions": {"billing_latency_ms", "episode_cost_ms", "side_by_side",
                          "n_from_the_runs"},   # the N whose counts are the runs' own
     "sweep": [run, ...]}

``measured.ratio`` is anti-pattern : call_http at Azure scale (what the profile emulates),
``wall_ratio`` the same of the wall times, ``raw_call_s`` the slope of the anti-pattern's
time per episode (one raw POST: L and the host's work for it).

Each run holds ``orchestrator``, ``count``, ``status``, ``wall_s`` (the host's clock in the
demo's runs), ``host_own_s`` (the host's own work in it, not scaled), ``azure_scale_s`` (the
rest, what the profile emulates, scaled back to Azure), ``host_per_episode_s``,
``host_per_raw_post_s``, ``model_azure_s``, ``episodes``, ``billing_posts``,
``distinct_invoices``, ``non_2xx``, ``durable_http_calls``, ``history_events``,
``episode_wall_s`` (one duration in seconds per episode, in order) and ``episode_host_s`` (the
host's own part of each). The split is ``host_time.py``'s; in the sweep it is null. A figure
the host did not report is null.
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
    projected = row.projected_seconds
    host = row.host if profile else None
    return {
        "orchestrator": row.name,
        "instance_id": row.instance_id,
        "count": row.count,
        "status": row.status,
        "wall_s": row.wall_seconds,
        "host_own_s": host.host_s if host else None,
        "azure_scale_s": profile.azure_seconds(host.emulated_s) if profile and host else None,
        "host_per_episode_s": host.per_episode_s if host else None,
        "host_per_raw_post_s": host.per_raw_post_s if host else None,
        "model_azure_s": None if math.isnan(projected) else projected,  # NaN: no model
        "episodes": row.episodes,
        "billing_posts": row.billing_received,
        "distinct_invoices": row.billing_distinct,
        "non_2xx": row.non_2xx,
        "durable_http_calls": row.http_calls,
        "history_events": row.history_events,
        "episode_wall_s": list(row.episode_wall_s) if row.episode_wall_s is not None else None,
        "episode_host_s": list(host.episode_host_s) if host else None,
    }


def demo_json(
    profile: AzureLikeProfile,
    runs: Sequence[RunRow],
    sweep: Sequence[RunRow],
    sweep_latency_ms: int,
    count: int | None = None,
) -> dict[str, Any]:
    """The whole of out/demo.json; ``count`` is the runs' N (the sweep may reuse them)."""
    measured = [run_json(row, profile) for row in runs]
    raw = next((row for row in runs if row.name == RAW_HTTP_LOOP), None)
    return {
        "profile": profile.as_json(),
        "published": PUBLISHED,
        "measured": {
            "ratio": measured_ratio(measured, "azure_scale_s"),
            "wall_ratio": measured_ratio(measured, "wall_s"),
            "raw_call_s": raw_call_seconds(raw.episode_wall_s) if raw else None,
            "host_per_raw_post_s": raw.host.per_raw_post_s if raw and raw.host else None,
        },
        "runs": measured,
        "run_conditions": {"one_at_a_time": True},
        "sweep_conditions": {
            "billing_latency_ms": sweep_latency_ms,
            "episode_cost_ms": 0,
            "side_by_side": True,
            "n_from_the_runs": count if any(row in runs for row in sweep) else None,
        },
        "sweep": [run_json(row) for row in sweep],
    }


def write_json(data: dict[str, Any], path: Path) -> Path:
    """Write ``data`` as indented JSON (its folder must exist); return the path."""
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def measured_ratio(runs: Sequence[dict[str, Any]], key: str = "azure_scale_s") -> float | None:
    """The anti-pattern's ``key`` over the ``call_http`` loop's, from demo.json runs."""
    walls = {run["orchestrator"]: run.get(key) for run in runs}
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
    """The anti-pattern's first and last episode beside the published passes, in words."""
    walls, host = row.episode_wall_s, row.host
    if row.name != RAW_HTTP_LOOP or not walls or host is None or len(walls) < 2:
        return None
    scale = profile.time_scale
    posts, last = len(walls) - 1, walls[-1]
    latency = posts * profile.billing_latency_ms / 1000
    factor = f"1/{1 / scale:.0f}"
    return (
        f"The anti-pattern's episodes grew from {_s(walls[0])} to {_s(last)} at {factor},"
        " the post's passes\n"
        f"from ~{_s(PUBLISHED_FIRST_PASS_SECONDS)} to ~{_s(PUBLISHED_LAST_PASS_SECONDS)},"
        f" which are {_s(PUBLISHED_FIRST_PASS_SECONDS * scale)} to"
        f" {_s(PUBLISHED_LAST_PASS_SECONDS * scale)} at {factor}. Its last episode is\n"
        f"{posts} POSTs x L = {_s(latency)} ({_s(latency / scale)} at Azure scale)"
        f" and {_s(host.episode_host_s[-1])} of the host's own work."
    )


def _s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
