"""What the benchmarks share: one timed fan-out on the real app, and one way to print."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from comparison.demo import embedded_app
from devhost.counters import InstanceCounters
from devhost.sqlite_store import SqliteStore

FAN_OUT = "fan_out_fan_in"


async def run_fan_out(
    n: int, latency_ms: int, *, require_completed: bool = True, timeout_s: float = 600.0
) -> tuple[InstanceCounters, dict[str, Any]]:
    """Start a fan-out of ``n`` through its public starter on a fresh host, wait for it.

    Returns the engine's counters and the status JSON; raises unless the run completed
    (``require_completed=False`` leaves the verdict to the caller). The host persists its state
    in SQLite, as ``make serve`` does, in a temporary folder.
    """
    with tempfile.TemporaryDirectory(prefix="devhost-bench-") as state_dir:
        return await _run_fan_out(
            n, latency_ms, SqliteStore(state_dir), require_completed, timeout_s
        )


async def _run_fan_out(
    n: int, latency_ms: int, store: SqliteStore, require_completed: bool, timeout_s: float
) -> tuple[InstanceCounters, dict[str, Any]]:
    async with embedded_app(latency_ms, max_count=n, store=store) as host:
        assert host.engine is not None
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                host.url(f"api/orchestrators/{FAN_OUT}"), json={"count": n, "seed": 0}
            ) as response,
        ):
            body = await response.json()
            if response.status != 202:
                raise RuntimeError(f"starting {FAN_OUT} answered {response.status}: {body}")
        status = await host.engine.wait(body["id"], timeout_s)
        counters = host.engine.counters(body["id"])
    if require_completed and status.get("runtimeStatus") != "Completed":
        raise RuntimeError(f"{FAN_OUT} ended {status.get('runtimeStatus')}")
    return counters, status


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


def print_result(title: str, figures: Sequence[Figure], target: str, met: bool) -> None:
    """One block per benchmark: its figures, the target and whether it is met."""
    print(f"\n== {title}")
    width = max(len(f.label) for f in figures)
    for figure in figures:
        print(f"  {figure.label.ljust(width)}  {figure.value}")
    print(f"  target: {target}")
    print(f"  result: {'MET' if met else 'NOT MET'}")


def machine() -> str:
    """The machine the figures come from (they belong next to it in the README)."""
    return f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}"
