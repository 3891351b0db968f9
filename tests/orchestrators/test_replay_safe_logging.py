"""Orchestrators log only when not replaying; the anti-pattern's raw-call line is the exception,
and it shows the replay storm: one line per raw call, N(N+1)/2 in all."""

import logging

import pytest

from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP

N = 4


@pytest.mark.parametrize(
    ("name", "needle", "expected"),
    [
        (RAW_HTTP_LOOP, "raw POST", N * (N + 1) // 2),
        (CALL_HTTP_LOOP, "posted INV-", N),
        (FAN_OUT_FAN_IN, "posted 4 invoices", 1),
    ],
)
async def test_log_lines_per_run(app_host, run_orchestrator, caplog, name, needle, expected):
    caplog.set_level(logging.INFO)
    run = await run_orchestrator(app_host, name, {"count": N})
    assert run.status["runtimeStatus"] == "Completed"
    lines = [r.getMessage() for r in caplog.records if needle in r.getMessage()]
    assert len(lines) == expected
    assert all(name in line for line in lines)
