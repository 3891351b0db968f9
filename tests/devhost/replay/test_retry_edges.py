"""Retry options the runtime never runs: the instance waits forever, as on Azure, and devhost
says so in its log."""

import logging

import pytest
from azure.durable_functions.models.history import HistoryEventType

DAY_MS = 24 * 3600 * 1000


async def _run(make_engine, start, caplog, first_ms: int, attempts: int):
    engine = make_engine("failure_app")
    with caplog.at_level(logging.ERROR, logger="devhost"):
        instance_id = await start(engine, "retry_edge", [first_ms, attempts])
        await engine.wait_idle()
    return engine, instance_id


@pytest.mark.parametrize("attempts", [0, -1])
async def test_retry_with_zero_attempts_schedules_nothing_and_waits_forever(
    make_engine, start, caplog, attempts
):
    """Azure/durabletask src/DurableTask.Core/RetryInterceptor.cs, `Invoke`: the loop
    `retryCount < MaxNumberOfAttempts` runs zero times and returns default without scheduling
    anything; no event reaches the Python SDK, so the instance stays Running forever."""
    engine, instance_id = await _run(make_engine, start, caplog, 1000, attempts)
    kinds = [e["EventType"] for e in engine.history(instance_id)]
    assert kinds == [
        HistoryEventType.ORCHESTRATOR_STARTED,
        HistoryEventType.EXECUTION_STARTED,
        HistoryEventType.ORCHESTRATOR_COMPLETED,
    ]
    assert engine.status(instance_id)["runtimeStatus"] == "Running"
    assert engine.counters(instance_id).activities_run == 0
    assert (
        f"devhost: orchestrator 'retry_edge' made a call that will never complete: its retry "
        f"options allow {attempts} attempts, so DTFx's RetryInterceptor schedules nothing. "
        "The instance waits forever"
    ) in caplog.text


async def test_a_first_retry_interval_over_six_days_is_refused_and_waits_forever(
    make_engine, start, caplog
):
    """Azure/azure-functions-durable-extension ContextImplementations/
    DurableOrchestrationContext.cs, `CallDurableTaskFunctionAsync`: `ValidateDelayTime
    (retryOptions.FirstRetryInterval)` fails past AzureStorageDurabilityProvider's
    `MaximumDelayTime` (6 days) and throws ArgumentException before `ScheduleWithRetry`;
    OutOfProcOrchestrationShim `ProcessAsyncActionsV2` swallows it, so the activity never
    runs and the instance stays Running forever."""
    engine, instance_id = await _run(make_engine, start, caplog, 6 * DAY_MS + 1, 2)
    kinds = [e["EventType"] for e in engine.history(instance_id)]
    assert HistoryEventType.TASK_SCHEDULED not in kinds
    assert HistoryEventType.TIMER_CREATED not in kinds
    assert engine.status(instance_id)["runtimeStatus"] == "Running"
    assert engine.counters(instance_id).activities_run == 0
    assert (
        "the Durable extension refuses its retry options: The Azure Storage provider supports "
        "a maximum of 6 days for time-based delays (Parameter 'FirstRetryInterval')"
    ) in caplog.text


async def test_a_first_retry_interval_of_six_days_is_allowed(make_engine, start, caplog):
    """`ValidateDelayTime` refuses only `timespan > MaximumDelayTime`: exactly 6 days runs."""
    engine, instance_id = await _run(make_engine, start, caplog, 6 * DAY_MS, 2)
    status = await engine.wait(instance_id, 10)
    assert (status["runtimeStatus"], status["output"]) == ("Completed", "x")
    assert "never complete" not in caplog.text
