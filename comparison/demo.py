"""``python -m comparison demo`` (what ``make demo`` runs): the whole comparison, offline.

1. The three orchestrators one after another (count 50, seed 0), each alone on an embedded
   host under the Azure-like profile (``profile.py``): the billing API answers after L and
   every episode lasts at least D, both 1/50 of the cost model's. Alone, so that no run's
   episodes wait for another's. The tables show what each run did and how long it took: the
   host's own work as measured, and what the profile emulates scaled back to Azure
   (``host_time.py``), beside the published figures.
2. A sweep over N with no latency and no episode cost, the three side by side at each N: the
   counts (billing POSTs, episodes) it measures do not depend on time, so side by side is
   fine here, and the runs of step 1 stand in for their own N.
3. out/demo.json with every figure, and the figures (``figure.py``).

Both hosts are started in-process on free loopback ports and driven exactly as ``compare``
drives any host: through the app's public endpoints. Only the host's time counters are read
in-process, as the benchmarks read them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app_settings import (
    DEFAULT_MAX_INVOICE_COUNT,
    FAKE_BILLING_API_ENABLED,
    FAKE_BILLING_LATENCY_MS,
    MAX_INVOICE_COUNT,
)
from comparison.client import ComparisonClient
from comparison.compare import check_completed, compare_all, run_each
from comparison.console import Console, quiet_app_logs
from comparison.cost_model import format_duration
from comparison.host_time import AppliedProfile, split_host_time
from comparison.profile import DEFAULT_TIME_SCALE, AzureLikeProfile
from comparison.report import RunRow, render_sweep, render_table
from comparison.results import demo_json, passes_line, write_json
from comparison.times import render_host_time, render_times

if TYPE_CHECKING:
    from devhost.http.server import EmbeddedHost
    from devhost.replay.counters import InstanceCounters
    from devhost.runtime.store import Store

DEFAULT_SWEEP_NS = (5, 10, 20, 50)
SWEEP_LATENCY_MS = 0
JSON_NAME = "demo.json"
FIGURE_NAME = "figure.png"


@dataclass(frozen=True)
class DemoOptions:
    """What ``demo`` runs; the defaults are what ``make demo`` runs."""

    count: int = 50
    seed: int = 0
    time_scale: float = DEFAULT_TIME_SCALE
    sweep_ns: tuple[int, ...] = DEFAULT_SWEEP_NS
    sweep_latency_ms: int = SWEEP_LATENCY_MS
    out_dir: Path = field(default_factory=lambda: Path("out"))
    figure: Path | None = None  # default: out_dir / FIGURE_NAME
    plot: bool = True
    verbose: bool = False


@contextlib.asynccontextmanager
async def embedded_app(
    latency_ms: int,
    max_count: int | None = None,
    store: Store | None = None,
    *,
    episode_cost_s: float = 0.0,
    strict: str | None = None,
) -> AsyncIterator[EmbeddedHost]:
    """The real app on a free loopback port, its billing API answering after ``latency_ms``.

    ``max_count`` raises MAX_INVOICE_COUNT to it (never below the app's default); ``store`` keeps
    the instances (default: in memory); ``episode_cost_s`` is the least an episode lasts;
    ``strict`` ("warn"/"fail") turns on ``--strict``. The demo and the benchmarks both start
    their host here.
    """
    from devhost.runtime.engine import EngineSettings  # the host is a dev tool: import it only here
    from devhost.testing import running_host

    env = {FAKE_BILLING_LATENCY_MS: str(latency_ms), FAKE_BILLING_API_ENABLED: "true"}
    if max_count is not None:
        env[MAX_INVOICE_COUNT] = str(max(DEFAULT_MAX_INVOICE_COUNT, max_count))
    settings = EngineSettings(episode_cost_s=episode_cost_s)
    async with running_host(
        "function_app", env=env, settings=settings, store=store, strict=strict
    ) as host:
        yield host


async def run_demo(options: DemoOptions, console: Console) -> int:
    """The runs under the profile, the sweep, demo.json and the figures; the exit code."""
    quiet_app_logs(options.verbose)
    began = time.monotonic()
    options.out_dir.mkdir(parents=True, exist_ok=True)  # fail now, not after the runs
    profile = AzureLikeProfile(time_scale=options.time_scale)
    rows = await _one_by_one(options, profile, console)
    console.result()
    console.result(render_table(rows))
    console.result()
    console.result(render_times(rows, profile))
    console.result()
    console.result(render_host_time(rows))
    for row in rows:
        line = passes_line(row, profile)
        if line:
            console.result()
            console.result(line)
    sweep: list[RunRow] = []
    if options.sweep_ns:
        sweep = await _sweep(options, console, rows)
        console.result()
        console.result(render_sweep(sweep, options.sweep_ns))
    data = demo_json(profile, rows, sweep, options.sweep_latency_ms, options.count)
    console.result()
    console.result(f"Results written to {write_json(data, options.out_dir / JSON_NAME)}")
    if options.plot:
        from comparison.figure import write_figure  # matplotlib is slow to import

        for path in write_figure(data, options.figure or options.out_dir / FIGURE_NAME):
            console.result(f"Figure written to {path}")
    console.result(f"Demo took {format_duration(time.monotonic() - began)} in total.")
    return check_completed([*rows, *(row for row in sweep if row not in rows)], console)


async def _one_by_one(
    options: DemoOptions, profile: AzureLikeProfile, console: Console
) -> list[RunRow]:
    console.info(
        f"Azure-like profile, 1/{1 / profile.time_scale:.0f} of Azure's time: the billing API"
        f" answers after {profile.billing_latency_ms} ms\n(L = {profile.call_latency_s} s),"
        f" every episode lasts at least {profile.scaled_episode_cost_s * 1000:.1f} ms"
        f" (D = {profile.episode_cost_s} s)."
    )
    async with (
        embedded_app(
            profile.billing_latency_ms, episode_cost_s=profile.scaled_episode_cost_s
        ) as host,
        ComparisonClient(host.base_url) as client,
    ):
        console.info(
            f"Running the three one after another on {host.base_url}\n"
            f"(count={options.count}, seed={options.seed}), each alone..."
        )
        rows = await run_each(client, console, options.count, options.seed)
        applied = AppliedProfile(
            latency_s=profile.billing_latency_ms / 1000,
            episode_cost_s=profile.scaled_episode_cost_s,
            http_parallelism=host.engine_settings.http_connection_limit,
        )
        engine = host.engine
        assert engine is not None  # started
        return [_with_host_time(row, engine.counters(row.instance_id), applied) for row in rows]


def _with_host_time(row: RunRow, counters: InstanceCounters, applied: AppliedProfile) -> RunRow:
    """The row with the host's clock as its wall time, split by ``host_time``."""
    wall = counters.wall_seconds
    split = split_host_time(row.name, wall, counters.episode_wall_s, counters.http_calls, applied)
    return dataclasses.replace(row, wall_seconds=wall, host=split)


async def _sweep(options: DemoOptions, console: Console, runs: list[RunRow]) -> list[RunRow]:
    """The counts per N; at the runs' own N the runs above stand in (counts do not depend on
    time, and the largest N is most of the sweep's time)."""
    ns = [n for n in options.sweep_ns if n != options.count]
    reused = len(ns) < len(options.sweep_ns)
    console.info(
        f"Sweep for the details figure: N = {', '.join(map(str, ns))}, the three side by side"
        f" at each,\nbilling latency {options.sweep_latency_ms} ms, no episode cost (counts"
        f" only){f'; N = {options.count} is the runs above' if reused else ''}."
    )
    rows: list[RunRow] = []
    async with (
        embedded_app(options.sweep_latency_ms, max(ns, default=1)) as host,
        ComparisonClient(host.base_url) as client,
    ):
        for position, n in enumerate(ns, 1):
            label = f"N={n} ({position}/{len(ns)})"
            rows += await compare_all(client, console, n, options.seed, label=label)
    return sorted([*rows, *(runs if reused else [])], key=lambda row: row.count)
