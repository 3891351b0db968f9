"""Catch-up: status stays responsive while 1,000 resumed instances catch up after a restart.

A host killed with 1,000 instances mid-run resumes all of them at its next start; a status GET
during that catch-up used to wait 6-15 s behind their checkpoints. Target: every status GET
answered within 1 s while the instances catch up, and all of them complete.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp

from benchmarks._harness import Figure, report
from comparison.console import quiet_app_logs
from devhost import DurableEngine, EngineSettings, FunctionIndex
from devhost.runtime.sqlite_store import SqliteStore
from devhost.testing import running_host, wait_until

APPS = Path(__file__).resolve().parent.parent / "tests" / "devhost" / "apps"
N = 1_000
TARGET_S = 1.0


async def _cut_off(folder: Path, n: int) -> None:
    """Start `n` two-step instances whose first step holds, then stop as a crash would."""
    (folder / "hold").touch()
    engine = DurableEngine(
        FunctionIndex.from_module(APPS / "durable_app.py"),
        EngineSettings(),
        SqliteStore(folder / "state"),
    )
    await engine.start()
    ids = [f"i{i:05d}" for i in range(n)]
    for instance_id in ids:
        await engine.start_new("two_steps", instance_id)

    def all_running() -> bool:
        return all(engine.status(i)["runtimeStatus"] == "Running" for i in ids)

    await wait_until(all_running, 60, "every instance scheduled its first step")
    await engine.close()
    (folder / "hold").unlink()


async def measure(n: int = N) -> dict[str, float]:
    quiet_app_logs()
    with tempfile.TemporaryDirectory(prefix="devhost-catch-up-") as name:
        folder = Path(name)
        os.environ["DURABLE_APP_DIR"] = str(folder)
        await _cut_off(folder, n)
        began = time.perf_counter()
        store = SqliteStore(folder / "state")
        async with running_host("durable_app", app_dir=APPS, store=store) as host:
            assert host.engine is not None
            resumed, latencies = host.engine.resumed, []
            url = host.url(f"runtime/webhooks/durabletask/instances/i{n // 2:05d}")
            async with aiohttp.ClientSession() as http:
                while host.engine.instances:
                    sent = time.perf_counter()
                    async with http.get(url) as response:
                        await response.read()
                    latencies.append(time.perf_counter() - sent)
                    await asyncio.sleep(0.02)
            completed = sum(
                host.engine.status(f"i{i:05d}")["runtimeStatus"] == "Completed" for i in range(n)
            )
        return {
            "resumed": resumed,
            "completed": completed,
            "catch_up": time.perf_counter() - began,
            "gets": len(latencies),
            "p50": statistics.median(latencies),
            "max": max(latencies),
        }


def main() -> bool:
    m = asyncio.run(measure())
    figures = [
        Figure("instances resumed / completed", f"{m['resumed']:.0f} / {m['completed']:.0f}"),
        Figure("catch-up (with start-up)", f"{m['catch_up']:.1f} s"),
        Figure("status GETs meanwhile", f"{m['gets']:.0f}"),
        Figure("status latency p50 / max", f"{m['p50'] * 1000:.0f} ms / {m['max'] * 1000:.0f} ms"),
    ]
    met = m["completed"] == N and m["max"] < TARGET_S
    return report(
        f"Catch-up ({N:,} instances resumed after a crash)",
        figures,
        f"every status GET under {TARGET_S:g} s while they catch up; all complete",
        met,
    )


if __name__ == "__main__":
    main()
