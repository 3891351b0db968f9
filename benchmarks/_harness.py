"""What the benchmarks share: one timed fan-out on the real app, its overhead ratio, and one way
to print a result."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

from comparison.demo import embedded_app
from contract import FAN_OUT_FAN_IN
from devhost.replay.counters import InstanceCounters
from devhost.runtime.sqlite_store import SqliteStore

if TYPE_CHECKING:
    from devhost.http.server import EmbeddedHost


async def run_fan_out(
    n: int,
    latency_ms: int,
    *,
    require_completed: bool = True,
    timeout_s: float = 600.0,
    strict: str | None = None,
) -> tuple[InstanceCounters, dict[str, Any]]:
    """Start a fan-out of ``n`` through its public starter on a fresh host, wait for it.

    Returns the engine's counters and the status JSON; raises unless the run completed
    (``require_completed=False`` leaves the verdict to the caller). The host persists its state
    in SQLite, as ``make serve`` does, in a temporary folder. ``strict`` as `--strict`.
    """
    with tempfile.TemporaryDirectory(prefix="devhost-bench-") as state_dir:
        store = SqliteStore(state_dir)
        async with embedded_app(latency_ms, max_count=n, store=store, strict=strict) as host:
            assert host.engine is not None
            async with aiohttp.ClientSession() as http:
                instance_id = await start_fan_out(http, host, n, seed=0)
            status = await host.engine.wait(instance_id, timeout_s)
            counters = host.engine.counters(instance_id)
    if require_completed:
        raise_unless_completed(status, FAN_OUT_FAN_IN)
    return counters, status


async def start_fan_out(http: aiohttp.ClientSession, host: EmbeddedHost, n: int, seed: int) -> str:
    """Start a fan-out of ``n`` through the app's public starter; its instance id."""
    async with http.post(
        host.url(f"api/orchestrators/{FAN_OUT_FAN_IN}"), json={"count": n, "seed": seed}
    ) as response:
        body = await response.json()
    if response.status != 202:
        raise RuntimeError(f"starting {FAN_OUT_FAN_IN} answered {response.status}: {body}")
    return str(body["id"])


def raise_unless_completed(status: dict[str, Any], what: str) -> None:
    """A benchmark measures completed runs only: anything else stops it with one line."""
    if status.get("runtimeStatus") != "Completed":
        raise RuntimeError(f"{what} ended {status.get('runtimeStatus')}")


def host_overhead_ratio(c: InstanceCounters) -> float:
    """wall / (SDK + activity + HTTP): what the host adds on top of the work it hosts."""
    work = c.sdk_seconds + c.activity_seconds + c.http_seconds
    return c.wall_seconds / work if work else float("inf")


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


def report(title: str, figures: Sequence[Figure], target: str, met: bool) -> bool:
    """``print_result`` with the machine as the first figure (timings belong next to it);
    returns ``met``, the benchmark's verdict."""
    print_result(title, [Figure("machine", machine()), *figures], target, met)
    return met


def machine() -> str:
    """The machine the figures come from (they belong next to it in the README)."""
    return f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}"
