"""How long each run took: the times table, with the base of each column named.

The demo's runs are split (``host_time.py``): the host's own work as measured, and what the
Azure-like profile emulates, scaled back to Azure. ``compare``'s are measured on whatever host
it ran against. Beside them: the published run and the cost model's projection for Azure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from comparison.cost_model import (
    DEFAULT_PARAMS,
    PUBLISHED_N,
    PUBLISHED_RATIO,
    PUBLISHED_SECONDS,
    ModelParams,
    format_duration,
)
from comparison.profile import AzureLikeProfile
from comparison.report import MISSING, RunRow, aligned
from contract import CALL_HTTP_LOOP, RAW_HTTP_LOOP

# The column headers name each column's base: this host, the profile, or Azure.
MEASURED_HERE = "this host"
PUBLISHED_LABEL = "Azure, post"
MODEL_LABEL = "Azure, model*"
RATIO_LABEL = "raw : call_http"


def render_times(
    rows: Sequence[RunRow],
    profile: AzureLikeProfile | None = None,
    params: ModelParams = DEFAULT_PARAMS,
    measured_on: str = MEASURED_HERE,
) -> str:
    """How long each run took, beside the published run and the model's projection.

    Under the Azure-like ``profile`` (the demo) the measured time is split: the host's own
    work as measured, and the rest, what the profile emulates, scaled back to Azure
    (``host_time.py``). Elsewhere (``compare``) the measured column is ``measured_on``'s.
    """
    split = profile is not None
    scale = f"x{1 / profile.time_scale:.0f}: L, D" if profile else ""
    measured = f"at 1/{1 / profile.time_scale:.0f}" if profile else MEASURED_HERE
    header = [
        "orchestrator",
        measured,
        *(["host's own", scale] if split else []),
        PUBLISHED_LABEL,
        MODEL_LABEL,
    ]
    lines = [header]
    for row in rows:
        cells = [row.name, _duration(row.wall_seconds)]
        if profile:
            host = row.host
            cells.append(_duration(None if host is None else host.host_s))
            azure = None if host is None else profile.azure_seconds(host.emulated_s)
            cells.append(_duration(azure))
        published = PUBLISHED_SECONDS.get(row.name) if row.count == PUBLISHED_N else None
        cells += [_duration(published), _duration(row.projected_seconds)]
        lines.append(cells)
    by_name = {row.name: row for row in rows}
    raw, loop = by_name.get(RAW_HTTP_LOOP), by_name.get(CALL_HTTP_LOOP)
    if raw and loop:
        ratio = [RATIO_LABEL, _ratio(raw.wall_seconds, loop.wall_seconds)]
        if profile:
            emulated = [None if r.host is None else r.host.emulated_s for r in (raw, loop)]
            ratio += ["", _ratio(*emulated)]
        ratio += [f"{PUBLISHED_RATIO:.1f}x" if raw.count == PUBLISHED_N else "-"]
        ratio += [_ratio(raw.projected_seconds, loop.projected_seconds)]
        lines.append(ratio)
    counts = {row.count for row in rows}
    n = counts.pop() if len(counts) == 1 else "N"
    bases = demo_bases(profile) if profile else compare_bases(measured_on)
    return "\n".join([*aligned(lines), "", bases, footnote(params, n)])


def demo_bases(profile: AzureLikeProfile) -> str:
    """What each column of the demo's times is measured or modelled on."""
    factor = f"{1 / profile.time_scale:.0f}"
    return (
        f"at 1/{factor}: each run alone on the embedded host under the Azure-like profile\n"
        f"  (L = {profile.billing_latency_ms} ms per billing POST,"
        f" D = {profile.scaled_episode_cost_s * 1000:.1f} ms per episode), by the host's clock.\n"
        "host's own: the part of it beyond L and D (handling each raw POST, replaying,\n"
        f"  HTTP), measured, not scaled. x{factor}: L, D: the rest, scaled back to Azure.\n"
        f"{PUBLISHED_LABEL}: the published run."
    )


def compare_bases(measured_on: str) -> str:
    """What each column of ``compare``'s times is measured or modelled on."""
    return (
        f"{MEASURED_HERE}: measured on {measured_on},\n"
        "  with that host's own billing latency and backend, not Azure's, so its ratio\n"
        f"  need not agree with the model's. {PUBLISHED_LABEL}: the published run."
    )


def render_host_time(rows: Sequence[RunRow]) -> str:
    """The host's own work per run, per raw POST (the anti-pattern) or per episode."""
    lines = ["The host's own work in these runs, measured and not scaled (it grows with load):"]
    for row in rows:
        host = row.host
        if host is None:
            continue
        if host.per_raw_post_s is not None:
            each = f"{host.per_raw_post_s * 1000:.1f} ms per raw POST ({host.raw_posts:,} POSTs)"
        elif host.per_episode_s is not None:
            episodes = len(host.episode_host_s)
            each = f"{host.per_episode_s * 1000:.1f} ms per episode ({episodes:,} episodes)"
        else:
            each = ""
        lines.append(f"  {row.name:<16}{host.host_s:6.2f} s  {each}".rstrip())
    return "\n".join(lines)


def footnote(params: ModelParams, n: int | str = "N") -> str:
    """What the model column is, with its parameters."""
    return (
        f"{MODEL_LABEL}: a model, not a measurement (N={n}): T = L x (raw calls\n"
        f"  + durable calls in a row) + D x episodes; L = {params.call_latency_s:.3f} s per call,"
        f" D = {params.episode_dispatch_s:.3f} s\n  per episode, {params.parallelism} calls"
        " at a time in a fan-out; calibrated on the post's 15 min\n  and ~2 min at N=50."
    )


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return MISSING if math.isnan(seconds) else format_duration(seconds)  # NaN: no projection


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator or math.isnan(numerator):
        return MISSING
    return f"{numerator / denominator:.1f}x"
