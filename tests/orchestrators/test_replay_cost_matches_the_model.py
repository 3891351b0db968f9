"""The replay model, exactly: raw calls, durable calls and episodes for each orchestrator.

Embedded host, batching "all" (every ready completion in one episode), as the README's table.
"""

import pytest
from azure.durable_functions.models.history import HistoryEventType

from contract import CALCULATE_INVOICE, CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP
from invoices import fake_invoice, price_invoice

ORCHESTRATOR_STARTED = HistoryEventType.ORCHESTRATOR_STARTED
ORCHESTRATOR_COMPLETED = HistoryEventType.ORCHESTRATOR_COMPLETED
TASK_SCHEDULED = HistoryEventType.TASK_SCHEDULED


def expected_output(n, seed):
    rows = []
    for index in range(n):
        priced = price_invoice(fake_invoice(seed, index))
        rows.append(
            {
                "invoice_id": priced["invoice_id"],
                "total": priced["total"],
                "currency": priced["currency"],
                "api_status": 201,
            }
        )
    return rows


def scheduled_per_episode(history):
    """Names scheduled in each episode, from the raw history the extension would persist."""
    episodes, current = [], None
    for event in history:
        if event["EventType"] == ORCHESTRATOR_STARTED:
            current = []
        elif event["EventType"] == TASK_SCHEDULED:
            current.append(event["Name"])
        elif event["EventType"] == ORCHESTRATOR_COMPLETED:
            episodes.append(current)
    return episodes


@pytest.mark.parametrize("n", [1, 5, 20])
async def test_raw_http_loop_makes_n_n_plus_1_over_2_raw_calls(app_host, run_orchestrator, n):
    run = await run_orchestrator(app_host, RAW_HTTP_LOOP, {"count": n, "seed": 3})
    assert run.status["runtimeStatus"] == "Completed"
    assert run.billing == {"received": n * (n + 1) // 2, "distinct_invoices": n}
    assert run.counters.http_calls == 0  # invisible to Durable Functions
    assert run.counters.activities_run == n
    assert run.counters.episodes == n + 1
    assert run.status["output"] == expected_output(n, 3)


@pytest.mark.parametrize("n", [1, 5, 20])
async def test_call_http_loop_makes_n_durable_calls_over_2n_plus_1_episodes(
    app_host, run_orchestrator, n
):
    run = await run_orchestrator(app_host, CALL_HTTP_LOOP, {"count": n, "seed": 3})
    assert run.status["runtimeStatus"] == "Completed"
    assert run.billing == {"received": n, "distinct_invoices": n}
    assert run.counters.http_calls == n
    assert run.counters.episodes == 2 * n + 1
    assert scheduled_per_episode(run.history) == [
        [CALCULATE_INVOICE] if i % 2 == 0 else ["BuiltIn::HttpActivity"] for i in range(2 * n)
    ] + [[]]
    assert run.status["output"] == expected_output(n, 3)


@pytest.mark.parametrize("n", [1, 5, 20])
async def test_fan_out_schedules_everything_in_one_episode(app_host, run_orchestrator, n):
    run = await run_orchestrator(app_host, FAN_OUT_FAN_IN, {"count": n, "seed": 3})
    assert run.status["runtimeStatus"] == "Completed"
    assert run.billing == {"received": n, "distinct_invoices": n}
    assert run.counters.http_calls == n
    assert run.counters.episodes == 3
    assert scheduled_per_episode(run.history) == [
        [CALCULATE_INVOICE] * n,
        ["BuiltIn::HttpActivity"] * n,
        [],
    ]
    assert run.status["output"] == expected_output(n, 3)
    assert run.status["customStatus"] == {
        "phase": "completed",
        "done": n,
        "total": n,
        "billed": n,
        "failed": 0,
    }


async def test_max_parallel_caps_tasks_in_flight(app_host, run_orchestrator):
    run = await run_orchestrator(app_host, FAN_OUT_FAN_IN, {"count": 5, "max_parallel": 2})
    assert run.status["runtimeStatus"] == "Completed"
    assert [len(names) for names in scheduled_per_episode(run.history)] == [2, 2, 1, 2, 2, 1, 0]
    assert run.counters.episodes == 2 * 3 + 1
    assert run.status["output"] == expected_output(5, 0)


async def test_the_three_outputs_are_identical(app_host, run_orchestrator):
    outputs = [
        (await run_orchestrator(app_host, name, {"count": 7, "seed": 11})).status["output"]
        for name in (RAW_HTTP_LOOP, CALL_HTTP_LOOP, FAN_OUT_FAN_IN)
    ]
    assert outputs[0] == outputs[1] == outputs[2] == expected_output(7, 11)


@pytest.mark.parametrize(
    ("name", "figures"),
    [(RAW_HTTP_LOOP, {}), (CALL_HTTP_LOOP, {"billed": 4, "failed": 0})],
)
async def test_a_finished_run_shows_its_final_phase(app_host, run_orchestrator, name, figures):
    """Never ``posting`` once the run is over (the fixes add what was billed)."""
    run = await run_orchestrator(app_host, name, {"count": 4})
    assert run.status["customStatus"] == {"phase": "completed", "done": 4, "total": 4, **figures}
