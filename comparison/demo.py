"""``python -m comparison demo`` (what ``make demo`` runs): the whole comparison, offline.

1. The three orchestrators side by side (count 50, seed 0) on an embedded host under the
   Azure-like profile (``profile.py``): the billing API answers after L and every episode lasts
   at least D, both 1/50 of the cost model's. The tables show what each run did and how long
   it took, scaled back to Azure beside the published figures.
2. A sweep over N with no latency and no episode cost, the three side by side at each N: the
   counts (billing POSTs, episodes) it measures do not depend on time.
3. out/demo.json with every figure, and the figure (``figure.py``).

Both hosts are started in-process on free loopback ports and driven exactly as ``compare``
drives any host: through the app's public endpoints.
"""

from __future__ import annotations

import contextlib
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
from comparison.compare import check_completed, compare_all
from comparison.console import Console, quiet_app_logs
from comparison.cost_model import expected_counts, format_duration
from comparison.profile import DEFAULT_TIME_SCALE, AzureLikeProfile
from comparison.report import RunRow, render_table, render_times
from comparison.results import demo_json, passes_line, write_json
from contract import ORCHESTRATORS

if TYPE_CHECKING:
    from devhost.http.server import EmbeddedHost
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
    """The side-by-side run under the profile, the sweep, demo.json and the figure; exit code."""
    quiet_app_logs(options.verbose)
    began = time.monotonic()
    options.out_dir.mkdir(parents=True, exist_ok=True)  # fail now, not after the runs
    profile = AzureLikeProfile(time_scale=options.time_scale)
    rows = await _side_by_side(options, profile, console)
    console.result()
    console.result(render_table(rows))
    console.result()
    console.result(render_times(rows, profile))
    for row in rows:
        line = passes_line(row, profile)
        if line:
            console.result()
            console.result(line)
    sweep: list[RunRow] = []
    if options.sweep_ns:
        sweep = await _sweep(options, console)
        _print_sweep(console, sweep, options.sweep_ns)
    data = demo_json(profile, rows, sweep, options.sweep_latency_ms)
    console.result()
    console.result(f"Results written to {write_json(data, options.out_dir / JSON_NAME)}")
    if options.plot:
        from comparison.figure import write_figure  # matplotlib is slow to import

        path = write_figure(data, options.figure or options.out_dir / FIGURE_NAME)
        console.result(f"Figure written to {path}")
    console.result(f"Demo took {format_duration(time.monotonic() - began)} in total.")
    return check_completed([*rows, *sweep], console)


async def _side_by_side(
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
            f"Running the three side by side on {host.base_url}"
            f" (count={options.count}, seed={options.seed})..."
        )
        return await compare_all(client, console, options.count, options.seed)


async def _sweep(options: DemoOptions, console: Console) -> list[RunRow]:
    ns = options.sweep_ns
    console.info(
        f"Sweep for the figure: N = {', '.join(map(str, ns))}, the three side by side at each,"
        f"\nbilling latency {options.sweep_latency_ms} ms, no episode cost (counts only)."
    )
    rows: list[RunRow] = []
    async with (
        embedded_app(options.sweep_latency_ms, max(ns)) as host,
        ComparisonClient(host.base_url) as client,
    ):
        for position, n in enumerate(ns, 1):
            label = f"N={n} ({position}/{len(ns)})"
            rows += await compare_all(client, console, n, options.seed, label=label)
    return rows


def _print_sweep(console: Console, rows: list[RunRow], ns: tuple[int, ...]) -> None:
    """The sweep as text: billing POSTs and episodes per N, next to the replay rules' counts."""
    by_key = {(r.name, r.count): r for r in rows}
    console.result()
    console.result("Sweep: billing POSTs / episodes per run (! where the replay rules differ)")
    console.result("    N" + "".join(f"  {name:>22}" for name in ORCHESTRATORS))
    for n in ns:
        cells = []
        for name in ORCHESTRATORS:
            row = by_key.get((name, n))
            posts = "?" if row is None or row.billing_received is None else row.billing_received
            episodes = "?" if row is None or row.episodes is None else row.episodes
            expected = expected_counts(name, n)
            want = (expected.raw_calls + expected.http_calls, expected.episodes)
            mark = "" if (posts, episodes) == want else " !"
            cells.append(f"{posts:,} / {episodes}{mark}" if posts != "?" else "? / ?")
        console.result(f"{n:>5}" + "".join(f"  {cell:>22}" for cell in cells))
