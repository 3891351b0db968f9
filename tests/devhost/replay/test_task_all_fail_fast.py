"""task_all fails fast in Python, but the shim schedules follow-ups only after all children."""

from azure.durable_functions.models.history import HistoryEventType

from devhost.testing import wait_until


async def test_follow_up_is_scheduled_after_the_last_child_with_id_2(make_engine, start):
    engine = make_engine("failure_app", batching="one", activity_concurrency=1)
    module = engine.index.module
    module.RELEASE.clear()
    instance_id = await start(engine, "fail_fast")
    # Child 0 failed and was delivered; child 1 is still blocked.
    await wait_until(lambda: engine.counters(instance_id).episodes == 2, 10, "2 episodes", settle=3)
    history = engine.history(instance_id)
    assert [e["EventType"] for e in history].count(HistoryEventType.TASK_FAILED) == 1
    assert not [e for e in history if e.get("Name") == "echo"]  # Python moved on; DTFx did not

    module.RELEASE.set()
    status = await engine.wait(instance_id, 10)
    history = engine.history(instance_id)
    completed_1 = next(i for i, e in enumerate(history) if e.get("TaskScheduledId") == 1)
    after = next(i for i, e in enumerate(history) if e.get("Name") == "echo")
    assert after > completed_1
    assert history[after]["EventId"] == 2
    assert status["output"] == "after"
    assert engine.counters(instance_id).episodes == 4
