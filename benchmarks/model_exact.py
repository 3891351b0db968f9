"""The model is exact: measured counts against the replay rules, for a few N.

    raw calls (billing POSTs of the anti-pattern)   N(N+1)/2
    episodes, all-ready batching                    N+1 / 2N+1 / <= 3 (1 + 2 per fan-out batch)
    durable HTTP calls                               0 / N / N

The runs go through the app's public endpoints (starters, /api/runs, billing stats), as the
comparison client runs them, on the embedded host with a zero-latency billing API.
"""

from __future__ import annotations

import asyncio
import io

from benchmarks._harness import Figure, print_result
from comparison.client import ComparisonClient
from comparison.compare import run_each
from comparison.console import Console, quiet_app_logs
from comparison.cost_model import expected_counts
from comparison.demo import embedded_app
from comparison.report import RunRow
from contract import FAN_OUT_FAN_IN, ORCHESTRATORS

NS = (1, 5, 20, 50)
BATCHED = (50, 10)  # a fan-out of 50 in batches of 10: 1 + 2 x 5 = 11 episodes


async def measure(ns: tuple[int, ...] = NS) -> list[tuple[RunRow, int | None]]:
    """Every (row, max_parallel) measured, one run at a time."""
    console = Console(quiet=True, err=io.StringIO())
    rows: list[tuple[RunRow, int | None]] = []
    app = embedded_app(latency_ms=0, max_count=max(*ns, BATCHED[0]))
    async with app as host, ComparisonClient(host.base_url) as client:
        for n in ns:
            rows += [(r, None) for r in await run_each(client, console, n, 0, poll_interval_s=0.05)]
        n, batch = BATCHED
        batched = await run_each(client, console, n, 0, names=[FAN_OUT_FAN_IN], max_parallel=batch)
        rows += [(r, batch) for r in batched]
    return rows


def check(row: RunRow, max_parallel: int | None) -> tuple[str, bool]:
    """One table line, and whether every measured count equals the prediction."""
    want = expected_counts(row.name, row.count, max_parallel)
    raw = (row.billing_received or 0) - (row.http_calls or 0)
    exact = (
        row.status == "Completed"
        and raw == want.raw_calls
        and row.episodes == want.episodes
        and row.http_calls == want.http_calls
    )
    label = row.name + (f" (batches of {max_parallel})" if max_parallel else "")
    line = (
        f"{label:<32} {row.count:>4}  {raw:>6,} / {want.raw_calls:<6,}"
        f"  {row.episodes!s:>4} / {want.episodes:<4}  {row.http_calls!s:>4} / {want.http_calls:<4}"
        f"  {'exact' if exact else 'DIFFERS'}"
    )
    return line, exact


def main() -> bool:
    quiet_app_logs()
    rows = asyncio.run(measure())
    print("\n== The model is exact (measured / model)")
    header = f"{'orchestrator':<32} {'N':>4}  {'raw calls':^15}  {'episodes':^11}  {'durable':^11}"
    print(header.rstrip())
    results = [check(row, batch) for row, batch in rows]
    for line, _ in results:
        print(line)
    met = all(exact for _, exact in results)
    runs = f"{len(rows)} runs of {', '.join(ORCHESTRATORS)}"
    print_result(
        "Model exactness",
        [Figure("runs", runs), Figure("N", ", ".join(map(str, NS)) + "; fan-out 50 in 10s")],
        "every measured count equals the model",
        met,
    )
    return met


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
