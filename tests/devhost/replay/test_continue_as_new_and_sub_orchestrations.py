"""continue-as-new generations and a sub-orchestration round trip (spec §4.3, §9.7)."""

from azure.durable_functions.models.history import HistoryEventType

COMPLETED = HistoryEventType.SUB_ORCHESTRATION_INSTANCE_COMPLETED
FAILED = HistoryEventType.SUB_ORCHESTRATION_INSTANCE_FAILED


async def test_continue_as_new_starts_a_fresh_history_in_the_same_work_item(
    make_engine, start, events
):
    engine = make_engine("waiting_app")
    instance_id = await start(engine, "countdown", 2)
    status = await engine.wait(instance_id, 10)
    assert status["output"] == "liftoff"
    assert status["input"] == "0"
    history = events(engine, instance_id)
    assert [e["EventType"] for e in history] == [12, 0, 13, 1, 13]
    assert history[1]["Generation"] == 2 and history[1]["Input"] == '"0"'
    # per generation: start, activity done (continue-as-new); last one returns at once
    assert engine.counters(instance_id).episodes == 5


async def test_sub_orchestrations_report_completion_and_failure(make_engine, start, events):
    engine = make_engine("waiting_app")
    instance_id = await start(engine, "parent", instance_id="p1")
    status = await engine.wait(instance_id, 10)
    assert status["output"]["child"] == {"got": 2, "parent": "p1"}
    assert status["output"]["error"].startswith("Orchestrator function 'broken_child' failed: ")
    history = events(engine, instance_id)
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
    child = events(engine, "child-1")[1]
    assert child["Input"] == '"{\\"x\\": 2}"'
    assert child["ParentInstance"]["TaskScheduleId"] == 0
    assert engine.status("child-1")["runtimeStatus"] == "Completed"
