"""Orchestrators log only when not replaying; the anti-pattern's raw-call line is the exception,
and it shows the replay storm: one line per raw call, N(N+1)/2 in all."""

import logging

import pytest

N = 4


@pytest.mark.parametrize(
    ("name", "needle", "expected"),
    [
        ("raw_http_loop", "raw POST", N * (N + 1) // 2),
        ("call_http_loop", "posted INV-", N),
        ("fan_out_fan_in", "posted 4 invoices", 1),
    ],
)
async def test_log_lines_per_run(app_host, run_orchestrator, caplog, name, needle, expected):
    caplog.set_level(logging.INFO)
    run = await run_orchestrator(app_host, name, {"count": N})
    assert run.status["runtimeStatus"] == "Completed"
    lines = [r.getMessage() for r in caplog.records if needle in r.getMessage()]
    assert len(lines) == expected
    assert all(name in line for line in lines)
