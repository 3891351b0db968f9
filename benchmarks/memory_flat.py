"""Memory stays flat over many runs: finished instances live in the store, not in the host.

One host runs RUNS small fan-outs (N=10) one after another; traced Python memory (tracemalloc,
after a collection) is read after WARMUP runs and after the last. The same is done side by side
on the in-memory store, which keeps every finished instance, as the host did before its state
persisted. Target: with the SQLite store, growth per run <= 10% of the in-memory store's.
tracemalloc sees Python objects only; SQLite's own page cache is bounded (2 MiB by default).
The billing API's counts are reset after each run, and the idempotency keys it must keep (its
own estimate, which is never below what they take) are subtracted, so only the host's memory is
compared.
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import tracemalloc

import aiohttp

from benchmarks._harness import Figure, raise_unless_completed, report, start_fan_out
from comparison.console import quiet_app_logs
from comparison.demo import embedded_app
from devhost.runtime.sqlite_store import SqliteStore
from devhost.runtime.store import MemoryStore, Store

RUNS = 150
WARMUP = 30
N = 10
TARGET_FRACTION = 0.10


async def growth_per_run(store: Store) -> float:
    """Bytes of traced memory added per finished run, between run WARMUP and run RUNS."""
    async with embedded_app(0, store=store) as host, aiohttp.ClientSession() as http:
        assert host.engine is not None
        baseline = 0
        for run in range(1, RUNS + 1):
            instance_id = await start_fan_out(http, host, N, seed=run)
            raise_unless_completed(await host.engine.wait(instance_id, 60), f"run {run}")
            async with http.delete(host.url("api/billing/stats")) as response:
                keys_bytes = (await response.json())["memory"]["used_bytes"]
            if run in (WARMUP, RUNS):
                gc.collect()
                current = tracemalloc.get_traced_memory()[0] - keys_bytes
                if run == WARMUP:
                    baseline = current
        return (current - baseline) / (RUNS - WARMUP)


def main() -> bool:
    quiet_app_logs()
    tracemalloc.start()
    try:
        with tempfile.TemporaryDirectory(prefix="devhost-bench-") as folder:
            persisted = asyncio.run(growth_per_run(SqliteStore(folder)))
        in_memory = asyncio.run(growth_per_run(MemoryStore()))
    finally:
        tracemalloc.stop()
    fraction = persisted / in_memory if in_memory > 0 else float("inf")
    figures = [
        Figure("runs", f"{RUNS} fan-outs of N={N} on one host (measured after run {WARMUP})"),
        Figure("SQLite store", f"{persisted / 1024:+.1f} KiB per run"),
        Figure("in-memory store", f"{in_memory / 1024:+.1f} KiB per run"),
        Figure("SQLite / in-memory", f"{fraction:.2f}"),
    ]
    return report(
        "Memory over many runs (finished instances in the store)",
        figures,
        f"SQLite growth <= {TARGET_FRACTION:.0%} of in-memory growth",
        fraction <= TARGET_FRACTION,
    )


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
