"""What the benchmarks share: a host for the real app, one timed run, and one way to print."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from devhost.counters import InstanceCounters
from devhost.server import EmbeddedHost
from devhost.testing import running_host


def quiet_logs() -> None:
    """Keep the app's per-call log lines (the anti-pattern logs every raw call) off the output."""
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(logging.ERROR)


@contextlib.asynccontextmanager
async def app_host(latency_ms: int, max_count: int = 1000) -> AsyncIterator[EmbeddedHost]:
    """The real app on a free loopback port, its billing API answering after ``latency_ms``."""
    env = {
        "FAKE_BILLING_API_ENABLED": "true",
        "FAKE_BILLING_LATENCY_MS": str(latency_ms),
        "MAX_INVOICE_COUNT": str(max(max_count, 1000)),
    }
    async with running_host("function_app", env=env) as host:
        yield host


async def run_once(
    host: EmbeddedHost, name: str, count: int, *, seed: int = 0, timeout_s: float = 600.0
) -> tuple[str, InstanceCounters, dict[str, Any]]:
    """Start ``name`` through its public starter, wait for it; (id, counters, status JSON)."""
    assert host.engine is not None
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            host.url(f"api/orchestrators/{name}"), json={"count": count, "seed": seed}
        ) as response,
    ):
        body = await response.json()
        if response.status != 202:
            raise RuntimeError(f"starting {name} answered {response.status}: {body}")
    instance_id = body["id"]
    status = await host.engine.wait(instance_id, timeout_s)
    return instance_id, host.engine.counters(instance_id), status


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


def print_result(
    title: str, figures: Sequence[Figure], target: str, met: bool, note: str = ""
) -> None:
    """One block per benchmark: its figures, the target and whether it is met."""
    print(f"\n== {title}")
    width = max(len(f.label) for f in figures)
    for figure in figures:
        print(f"  {figure.label.ljust(width)}  {figure.value}")
    print(f"  target: {target}")
    print(f"  result: {'MET' if met else 'NOT MET'}")
    if note:
        print(f"  note:   {note}")


def machine() -> str:
    """The machine the figures come from (they belong next to it in the README)."""
    return f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}"
