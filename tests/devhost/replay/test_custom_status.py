"""Custom status: its size limit and its lifetime, as the extension and DTFx handle them."""

import pytest

from devhost import VirtualClock

LIMIT_MESSAGE = (
    "The UTF-16 size of the JSON-serialized payload must not exceed 16 KB. "
    "The current payload size is 17 KB."
)


@pytest.mark.parametrize(
    ("char", "chars", "fails"),
    [
        ("x", 8701, False),  # '"' + 8701 + '"' = 17406 UTF-16 bytes: 16 KB, truncated
        ("x", 8702, True),  # 17408 bytes: 17 KB (only 8.5 KB as UTF-8)
        ("\U0001f600", 4350, False),  # a surrogate pair is 4 bytes in UTF-16
        ("\U0001f600", 4351, True),
    ],
)
async def test_custom_status_over_16kb_fails_the_instance(make_engine, start, char, chars, fails):
    """DurableOrchestrationContext.SetCustomStatus (Azure/azure-functions-durable-extension,
    ContextImplementations/DurableOrchestrationContext.cs) serializes with
    MaxCustomStatusPayloadSizeInKB = 16; MessagePayloadDataConverter.Serialize throws an
    ArgumentException when (int)(UTF-16 bytes / 1024.0) > 16. OutOfProcOrchestrationShim calls it
    before replaying any action, and TaskOrchestrationShim fails the orchestration with
    "Orchestrator function '<name>' failed: <message>"; the status stays null."""
    engine = make_engine("waiting_app")
    args = {"char": char, "chars": chars, "after_activity": False}
    status = await engine.wait(await start(engine, "big_status", args), 10)
    if fails:
        assert status["runtimeStatus"] == "Failed"
        assert status["output"] == f"Orchestrator function 'big_status' failed: {LIMIT_MESSAGE}"
        assert status["customStatus"] is None
    else:
        assert (status["runtimeStatus"], status["output"]) == ("Completed", "done")
        assert status["customStatus"] == char * chars


async def test_custom_status_over_16kb_with_a_raised_error_fails_with_the_bare_message(
    make_engine, start
):
    """When the function raised, TaskOrchestrationShim.InvokeUserCodeAndHandleResults replays the
    state inside its catch block, which only rewraps OrchestrationFailureException: the
    ArgumentException reaches DTFx, whose FailOrchestration uses its message as the reason."""
    engine = make_engine("waiting_app")
    args = {"char": "x", "chars": 9000, "after_activity": False, "raise": True}
    status = await engine.wait(await start(engine, "big_status", args), 10)
    assert (status["runtimeStatus"], status["output"]) == ("Failed", LIMIT_MESSAGE)


async def test_custom_status_over_16kb_after_scheduled_work_fails_as_non_determinism(
    make_engine, start
):
    """With work already in the history, the faulted shim has scheduled nothing, so DTFx's
    TaskOrchestrationContext.HandleTaskScheduledEvent (DurableTask.Core 2.17.1) throws
    NonDeterministicOrchestrationException for the first TaskScheduled before the fault is
    seen: the instance fails, with that message."""
    engine = make_engine("waiting_app")
    args = {"char": "x", "chars": 9000, "after_activity": True}
    status = await engine.wait(await start(engine, "big_status", args), 10)
    assert status["runtimeStatus"] == "Failed"
    assert status["output"].startswith(
        "Non-Deterministic workflow detected: A previous execution of this orchestration "
        "scheduled an activity task with sequence ID 0 and name 'echo'"
    )
    assert status["customStatus"] is None


@pytest.mark.parametrize(
    ("raised", "expected"),
    [("null", None), ('""', None), ("0", None), ("false", None), ('"second"', "second")],
)
async def test_custom_status_is_replaced_every_episode(make_engine, start, raised, expected):
    """DTFx stores each episode's status, null included: `runtimeState.Status =
    result?.CustomStatus` (TaskOrchestrationDispatcher, DurableTask.Core 2.17.1), and the
    extension makes a new context per episode whose status is set only if the worker sent one
    (`if (execution.CustomStatus != null)`, OutOfProcOrchestrationShim). The Python SDK sends
    none for a falsy value (`if self._custom_status:` in OrchestratorState.to_json), so a
    status set only when not replaying, or set to "", 0 or False, reads back as null."""
    engine = make_engine("waiting_app")
    instance_id = await start(engine, "phases")
    await engine.wait_idle()
    assert engine.status(instance_id)["customStatus"] == "fresh"
    await engine.raise_event(instance_id, "Next", raised)
    await engine.wait_idle()
    status = engine.status(instance_id)
    assert (status["runtimeStatus"], status["customStatus"]) == ("Running", expected)


async def test_custom_status_of_the_previous_execution_carries_into_a_silent_one(
    make_engine, start
):
    """Continue-as-new runs the next execution in the same work item; if that one sets no
    status, `runtimeState.Status ?? carryOverStatus` keeps the previous execution's
    (TaskOrchestrationDispatcher.OnProcessWorkItemAsync); its next episode replaces it."""
    engine = make_engine("waiting_app", clock=VirtualClock())
    instance_id = await start(engine, "relay", 0)
    await engine.wait_idle()
    assert engine.status(instance_id)["customStatus"] == "before continue_as_new"
    await engine.raise_event(instance_id, "Next", "null")
    status = await engine.wait(instance_id, 10)
    assert (status["output"], status["customStatus"]) == ("done", None)
