"""continue-as-new generations and a sub-orchestration round trip (spec §4.3, §9.7)."""

from azure.durable_functions.models.history import HistoryEventType

from devhost.replay.history import parse_timestamp

COMPLETED = HistoryEventType.SUB_ORCHESTRATION_INSTANCE_COMPLETED
FAILED = HistoryEventType.SUB_ORCHESTRATION_INSTANCE_FAILED


async def test_continue_as_new_starts_a_fresh_history_in_the_same_work_item(make_engine, start):
    engine = make_engine("waiting_app")
    instance_id = await start(engine, "countdown", 2)
    status = await engine.wait(instance_id, 10)
    assert status["output"] == "liftoff"
    assert status["input"] == "0"
    history = engine.history(instance_id)
    assert [e["EventType"] for e in history] == [12, 0, 13, 1, 13]
    assert history[1]["Generation"] == 2 and history[1]["Input"] == '"0"'
    # per generation: start, activity done (continue-as-new); last one returns at once
    assert engine.counters(instance_id).episodes == 5


async def test_sub_orchestrations_report_completion_and_failure(make_engine, start):
    engine = make_engine("waiting_app")
    instance_id = await start(engine, "parent", instance_id="p1")
    status = await engine.wait(instance_id, 10)
    assert status["output"]["child"] == {"got": 2, "parent": "p1"}
    assert status["output"]["error"].startswith("Orchestrator function 'broken_child' failed: ")
    history = engine.history(instance_id)
    created = [
        (e["EventId"], e["Name"], e["InstanceId"])
        for e in history
        if e["EventType"] == HistoryEventType.SUB_ORCHESTRATION_INSTANCE_CREATED
    ]
    execution_id = history[1]["OrchestrationInstance"]["ExecutionId"]
    assert created == [(0, "child", "child-1"), (1, "broken_child", f"{execution_id}:1")]
    assert [e["EventType"] for e in history if e["EventType"] in (COMPLETED, FAILED)] == [
        COMPLETED,
        FAILED,
    ]
    child = engine.history("child-1")[1]
    assert child["Input"] == '"{\\"x\\": 2}"'
    assert child["ParentInstance"]["TaskScheduleId"] == 0
    assert engine.status("child-1")["runtimeStatus"] == "Completed"


async def test_events_raised_with_continue_as_new_carry_over(make_engine, start):
    """DTFx's TaskOrchestrationContext.HandleEventRaisedEvent puts an EventRaised that arrives
    after ContinueAsNew into CarryoverEvents (BehaviorOnContinueAsNew.Carryover, the default of
    DurableTask.AzureStorage), and TaskOrchestrationDispatcher adds them to the next
    execution's history: three quick raises reach three generations, in one work item."""
    engine = make_engine("waiting_app")
    instance_id = await start(engine, "tally")
    await engine.wait_idle()
    for _ in range(3):  # no await yields between them: one batch
        await engine.raise_event(instance_id, "Add", "1")
    status = await engine.wait(instance_id, 10)
    assert (status["runtimeStatus"], status["output"]) == ("Completed", 3)
    history = engine.history(instance_id)
    kinds = [e["EventType"] for e in history]
    assert kinds[:4] == [
        HistoryEventType.ORCHESTRATOR_STARTED,
        HistoryEventType.EXECUTION_STARTED,
        HistoryEventType.EVENT_RAISED,
        HistoryEventType.ORCHESTRATOR_COMPLETED,
    ]
    assert history[1]["Generation"] == 2 and history[2]["IsPlayed"] is True
    assert engine.counters(instance_id).episodes == 4  # start, then three generations


async def test_terminating_a_sub_orchestration_fails_its_parent_with_the_reason(make_engine, start):
    """TaskOrchestrationDispatcher.ProcessWorkflowCompletedTaskDecision (DurableTask.Core
    2.17.1) sends the parent a SubOrchestrationInstanceFailedEvent for a Terminated child as
    for a Failed one, with the terminate reason as Reason and no Details."""
    engine = make_engine("waiting_app")
    parent_id = await start(engine, "guardian", instance_id="guardian-1")
    await engine.wait_idle()
    await engine.terminate("ward-1", "stop it")
    status = await engine.wait(parent_id, 10)
    assert status["runtimeStatus"] == "Failed"
    assert "stop it" in status["output"]
    failed = [e for e in engine.history(parent_id) if e["EventType"] == FAILED]
    assert [(e["Reason"], e["Details"]) for e in failed] == [("stop it", None)]
    assert engine.status("ward-1")["runtimeStatus"] == "Terminated"


async def test_sub_orchestration_with_the_parents_instance_id_faults_the_call(make_engine, start):
    """CallDurableTaskFunctionAsync (DurableOrchestrationContext.cs) throws "The instance ID of a
    sub-orchestration must be different than the instance ID of a parent orchestration." (ids
    compared ignoring case) before anything is scheduled: no child is created and the parent's
    record stays. The faulted call never reaches the Python SDK, so the real host leaves the
    parent Running forever; devhost fails it with that message (README difference 1)."""
    engine = make_engine("waiting_app")
    instance_id = await start(engine, "narcissist", instance_id="self-1")
    status = await engine.wait(instance_id, 10)
    assert (status["name"], status["runtimeStatus"]) == ("narcissist", "Failed")
    assert "must be different than the instance ID of a parent orchestration" in status["output"]
    assert "Running forever" in status["output"]
    kinds = {e["EventType"] for e in engine.history(instance_id)}
    assert HistoryEventType.SUB_ORCHESTRATION_INSTANCE_CREATED not in kinds
    assert engine.status("SELF-1") is None


async def test_created_time_is_the_new_generations_after_continue_as_new(make_engine, start):
    """DurableTask.AzureStorage 1.17.5 `AzureTableTrackingStore.UpdateStateAsync` sets the
    Instances row's CreatedTime from each ExecutionStarted it writes, the new generation's
    included: `createdTimeFrom`, purge by date and retention see the last generation's start."""
    engine = make_engine("waiting_app")
    instance_id = await start(engine, "countdown", 2)
    first = engine.instances[instance_id].record.created
    await engine.wait(instance_id, 10)
    record = engine.store.record(instance_id)
    started = engine.history(instance_id)[1]
    assert started["Generation"] == 2
    assert record.created == parse_timestamp(started["Timestamp"])
    assert record.created > first
    # finished instances created before a moment between the two: not this one any more
    assert engine.store.purge_finished_before(first + (record.created - first) / 2) == 0
