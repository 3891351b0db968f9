"""The compare flow and the demo against the embedded host: exact counts from public endpoints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from comparison.client import ComparisonClient
from comparison.compare import compare_all, run_each
from comparison.console import Console
from comparison.demo import PLOT_NAME, DemoOptions, run_demo
from devhost.testing import running_host

N = 5
ORDER = ["raw_http_loop", "call_http_loop", "fan_out_fan_in"]


def quiet_console() -> tuple[Console, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Console(out=out, err=err, min_interval_s=0), out, err


@pytest.fixture
async def host():
    async with running_host("function_app", env={"FAKE_BILLING_LATENCY_MS": "0"}) as started:
        yield started


async def test_compare_reports_exact_counts_for_the_three_orchestrators(host) -> None:
    console, _, err = quiet_console()
    async with ComparisonClient(host.base_url) as client:
        rows = await compare_all(client, console, N, 0, poll_interval_s=0.05)
    assert [r.name for r in rows] == ORDER
    assert [r.status for r in rows] == ["Completed"] * 3
    assert [r.billing_received for r in rows] == [15, 5, 5]
    assert [r.billing_distinct for r in rows] == [5, 5, 5]
    assert [r.http_calls for r in rows] == [0, 5, 5]
    assert [r.episodes for r in rows] == [6, 11, 3]
    assert all(r.wall_seconds is not None and r.wall_seconds >= 0 for r in rows)
    assert "raw_http_loop" in err.getvalue()  # progress was shown


async def test_run_each_with_batches_adds_two_episodes_per_batch(host) -> None:
    console, _, _ = quiet_console()
    async with ComparisonClient(host.base_url) as client:
        rows = await run_each(
            client, console, 6, 1, names=["fan_out_fan_in"], max_parallel=2, poll_interval_s=0.05
        )
    assert [(r.episodes, r.http_calls, r.billing_received) for r in rows] == [(7, 6, 6)]


async def test_demo_prints_the_table_and_writes_the_plot(tmp_path: Path) -> None:
    console, out, _ = quiet_console()
    console.quiet = True
    options = DemoOptions(count=3, latency_ms=0, sweep_ns=(1, 2), out_dir=tmp_path)
    assert await run_demo(options, console) == 0
    text = out.getvalue()
    for name in ORDER:
        assert name in text
    assert "A model, not a measurement (N=3)" in text
    plot = tmp_path / PLOT_NAME
    assert f"Plot written to {plot}" in text
    assert plot.read_bytes().startswith(b"\x89PNG")
