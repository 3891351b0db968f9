"""``python -m comparison demo`` (what ``make demo`` runs): the whole comparison, offline.

It starts the embedded host in-process on a free loopback port, with the stand-in billing API
answering after ``latency_ms``, and then drives it exactly as ``compare`` drives any host:
through the app's public endpoints. First the three orchestrators side by side (count 50,
seed 0) and the table; then a sweep over N, one run at a time so each wall time is its own,
and the log-log plot.

The sweep's billing latency defaults to SWEEP_LATENCY_MS: the anti-pattern at N=200 makes
20,100 raw calls, so every millisecond of latency adds 20 s to the sweep; 0 keeps the whole
demo near a minute on a 2-core machine, and what is left is the host's own cost per call.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from comparison.client import ComparisonClient
from comparison.compare import check_completed, compare_all, run_each
from comparison.console import Console, quiet_app_logs
from comparison.cost_model import ORCHESTRATORS, format_duration
from comparison.report import RunRow, render_table

if TYPE_CHECKING:
    from devhost.server import EmbeddedHost
    from devhost.store import Store

DEFAULT_SWEEP_NS = (5, 10, 20, 50, 100, 200)
SWEEP_LATENCY_MS = 0
PLOT_NAME = "comparison-sweep.png"
LATENCY_SETTING = "FAKE_BILLING_LATENCY_MS"


@dataclass(frozen=True)
class DemoOptions:
    """What ``demo`` runs; the defaults are what ``make demo`` runs."""

    count: int = 50
    seed: int = 0
    latency_ms: int = 20
    sweep_ns: tuple[int, ...] = DEFAULT_SWEEP_NS
    sweep_latency_ms: int = SWEEP_LATENCY_MS
    out_dir: Path = field(default_factory=lambda: Path("out"))
    verbose: bool = False


@contextlib.asynccontextmanager
async def embedded_app(
    latency_ms: int, max_count: int | None = None, store: Store | None = None
) -> AsyncIterator[EmbeddedHost]:
    """The real app on a free loopback port, its billing API answering after ``latency_ms``.

    ``max_count`` raises MAX_INVOICE_COUNT to it (never below the app's 1000). The demo and the
    benchmarks both start their host here. ``store`` keeps the instances (default: in memory).
    """
    from devhost.testing import running_host  # the host is a dev tool: import it only here

    env = {LATENCY_SETTING: str(latency_ms), "FAKE_BILLING_API_ENABLED": "true"}
    if max_count is not None:
        env["MAX_INVOICE_COUNT"] = str(max(1000, max_count))
    async with running_host("function_app", env=env, store=store) as host:
        yield host


async def run_demo(options: DemoOptions, console: Console) -> int:
    """Run the comparison and the sweep on an embedded host; the exit code."""
    quiet_app_logs(options.verbose)
    began = time.monotonic()
    if options.sweep_ns:
        options.out_dir.mkdir(parents=True, exist_ok=True)  # fail now, not after the sweep
    console.info("Starting the embedded host on a free loopback port...")
    max_count = max(options.sweep_ns) if options.sweep_ns else None
    async with embedded_app(options.latency_ms, max_count) as host:
        console.info(
            f"Host at {host.base_url}; billing API latency {options.latency_ms} ms. Running the "
            f"three orchestrators side by side (count={options.count}, seed={options.seed})."
        )
        async with ComparisonClient(host.base_url) as client:
            rows = await compare_all(client, console, options.count, options.seed)
            compared = time.monotonic() - began
            console.result()
            console.result(render_table(rows))
            console.result()
            console.result(f"Side-by-side comparison took {format_duration(compared)}.")
            if options.sweep_ns:
                os.environ[LATENCY_SETTING] = str(options.sweep_latency_ms)  # read per request
                sweep = await _sweep(client, console, options)
                _print_sweep(console, sweep, options.sweep_ns)
                from comparison.plot import write_plot  # matplotlib is slow to import

                path = write_plot(
                    sweep, options.out_dir / PLOT_NAME, latency_ms=options.sweep_latency_ms
                )
                console.result(f"Plot written to {path}")
    console.result(f"Demo took {format_duration(time.monotonic() - began)} in total.")
    return check_completed(rows, console)


async def _sweep(client: ComparisonClient, console: Console, options: DemoOptions) -> list[RunRow]:
    console.info(
        f"Sweep for the plot: N in {', '.join(map(str, options.sweep_ns))}, one run at a time, "
        f"billing latency {options.sweep_latency_ms} ms."
    )
    rows: list[RunRow] = []
    for n in options.sweep_ns:
        rows += await run_each(client, console, n, options.seed)
    return rows


def _print_sweep(console: Console, rows: list[RunRow], ns: tuple[int, ...]) -> None:
    """A compact text version of the plot: wall time and billing POSTs per N."""
    by_key = {(r.name, r.count): r for r in rows}
    header = "N".rjust(5) + "".join(f"  {name:>28}" for name in ORCHESTRATORS)
    console.result()
    console.result("Sweep (wall time / billing POSTs per run):")
    console.result(header)
    for n in ns:
        cells = []
        for name in ORCHESTRATORS:
            row = by_key.get((name, n))
            wall = (
                format_duration(row.wall_seconds) if row and row.wall_seconds is not None else "n/a"
            )
            posts = f"{row.billing_received:,}" if row and row.billing_received is not None else "?"
            cells.append(f"{wall} / {posts}".rjust(28))
        console.result(str(n).rjust(5) + "".join(f"  {c}" for c in cells))
