"""The compare flow and the demo against the embedded host: exact counts from public endpoints."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app_settings import FAKE_BILLING_LATENCY_MS
from comparison.client import ComparisonClient
from comparison.compare import compare_all, run_each
from comparison.console import Console
from comparison.demo import FIGURE_NAME, JSON_NAME, DemoOptions, run_demo
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP
from devhost.testing import running_host

N = 5
ORDER = [RAW_HTTP_LOOP, CALL_HTTP_LOOP, FAN_OUT_FAN_IN]


def quiet_console() -> tuple[Console, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Console(out=out, err=err, min_interval_s=0), out, err


@pytest.fixture
async def host():
    async with running_host("function_app", env={FAKE_BILLING_LATENCY_MS: "0"}) as started:
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
    assert RAW_HTTP_LOOP in err.getvalue()  # progress was shown


async def test_run_each_with_batches_adds_two_episodes_per_batch(host) -> None:
    console, _, _ = quiet_console()
    async with ComparisonClient(host.base_url) as client:
        rows = await run_each(
            client, console, 6, 1, names=[FAN_OUT_FAN_IN], max_parallel=2, poll_interval_s=0.05
        )
    assert [(r.episodes, r.http_calls, r.billing_received) for r in rows] == [(7, 6, 6)]


RUN_KEYS = {
    "orchestrator",
    "count",
    "wall_s",
    "episodes",
    "billing_posts",
    "durable_http_calls",
    "episode_wall_s",
    "azure_scale_s",
    "host_own_s",
    "episode_host_s",
}


async def test_demo_prints_80_columns_and_writes_demo_json_and_the_figures(tmp_path: Path) -> None:
    console, out, _ = quiet_console()
    console.quiet = True
    options = DemoOptions(count=3, sweep_ns=(1, 3), out_dir=tmp_path)  # N=3: the runs' own
    assert await run_demo(options, console) == 0
    text = out.getvalue()
    for name in ORDER:
        assert name in text
    assert "Azure, model*: a model, not a measurement (N=3)" in text
    assert "The host's own work in these runs" in text
    wide = [line for line in text.splitlines() if len(line) > 80 and " written to " not in line]
    assert not wide  # only the output paths may be longer
    data = json.loads((tmp_path / JSON_NAME).read_text())
    assert set(data) >= {"profile", "runs", "sweep"}
    assert data["run_conditions"] == {"one_at_a_time": True}
    assert set(data["profile"]) >= {"time_scale", "L_s", "D_s"}
    assert data["profile"]["time_scale"] == pytest.approx(1 / 50)
    side = data["runs"]
    assert [run["orchestrator"] for run in side] == ORDER
    assert all(set(run) >= RUN_KEYS for run in side + data["sweep"])
    assert [(run["billing_posts"], run["episodes"]) for run in side] == [(6, 4), (3, 7), (3, 3)]
    assert [len(run["episode_wall_s"]) for run in side] == [4, 7, 3]
    episode_cost_s = data["profile"]["episode_cost_ms"] / 1000
    assert all(w >= episode_cost_s - 1e-3 for run in side for w in run["episode_wall_s"])
    # The wall time is the emulated part plus the host's own; only the first is scaled back.
    for run in side:
        emulated = run["azure_scale_s"] * data["profile"]["time_scale"]
        assert emulated + run["host_own_s"] == pytest.approx(run["wall_s"])
        assert len(run["episode_host_s"]) == run["episodes"]
    assert [r["host_own_s"] for r in data["sweep"]] == [None] * 6
    assert [(r["count"], r["billing_posts"]) for r in data["sweep"]] == [
        (1, 1),
        (1, 1),
        (1, 1),
        (3, 6),
        (3, 3),
        (3, 3),
    ]
    assert [r["instance_id"] for r in data["sweep"][3:]] == [r["instance_id"] for r in side]
    assert data["sweep_conditions"]["n_from_the_runs"] == 3
    for name in (FIGURE_NAME, "figure-details.png"):
        figure = tmp_path / name
        assert f"Figure written to {figure}" in text
        assert figure.read_bytes().startswith(b"\x89PNG")
