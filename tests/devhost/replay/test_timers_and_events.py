"""Durable timers on a virtual clock, external events, and the completion rule (spec §4.2)."""

from azure.durable_functions.models.history import HistoryEventType

from devhost import VirtualClock


async def test_timer_fires_only_when_the_clock_reaches_fire_at(make_engine, start):
    clock = VirtualClock()
    engine = make_engine("waiting_app", clock=clock)
    instance_id = await start(engine, "sleeper")
    await engine.wait_idle()
    created = [
        e for e in engine.history(instance_id) if e["EventType"] == HistoryEventType.TIMER_CREATED
    ]
    assert [(e["EventId"], e["FireAt"]) for e in created] == [(0, "2024-05-01T10:00:30Z")]
    await clock.advance(29)
    await engine.wait_idle()
    assert engine.status(instance_id)["runtimeStatus"] == "Running"
    await clock.advance(1)
    status = await engine.wait(instance_id, 10)
    assert status["output"] == "woke"
    fired = [
        e for e in engine.history(instance_id) if e["EventType"] == HistoryEventType.TIMER_FIRED
    ]
    assert [(e["TimerId"], e["FireAt"]) for e in fired] == [(0, "2024-05-01T10:00:30Z")]
    assert engine.counters(instance_id).episodes == 2


async def test_uncancelled_losing_timer_keeps_the_instance_running(make_engine, start):
    clock = VirtualClock()
    engine = make_engine("waiting_app", clock=clock)
    instance_id = await start(engine, "racer", {"cancel": False})
    await engine.wait_idle()
    assert engine.status(instance_id)["runtimeStatus"] == "Running"  # the 1 h timer is open
    await clock.advance(3600)
    status = await engine.wait(instance_id, 10)
    assert (status["runtimeStatus"], status["output"]) == ("Completed", "fast")


async def test_cancelled_timer_completes_at_once_but_stays_in_history(make_engine, start):
    engine = make_engine("waiting_app", clock=VirtualClock())
    status = await engine.wait(await start(engine, "racer", {"cancel": True}, instance_id="r"), 10)
    assert (status["runtimeStatus"], status["output"]) == ("Completed", "fast")
    assert [e["EventType"] for e in engine.history("r")].count(HistoryEventType.TIMER_CREATED) == 1


async def test_events_match_case_insensitively_in_the_shim_and_buffer_fifo(make_engine, start):
    engine = make_engine("waiting_app")
    instance_id = await start(engine, "approval")
    await engine.wait_idle()
    # The shim's waiter takes "approval"; the SDK keys by exact name and does not resume.
    await engine.raise_event(instance_id, "approval", '"lower"')
    await engine.wait_idle()
    assert engine.status(instance_id)["runtimeStatus"] == "Running"
    # Two early events with the exact name: the SDK resumes, the shim buffered them FIFO.
    await engine.raise_event(instance_id, "Approval", '"one"')
    await engine.raise_event(instance_id, "Approval", '"two"')
    status = await engine.wait(instance_id, 10)
    assert status["output"] == ["one", "two"]


async def test_raise_event_body_is_stored_as_sent(make_engine, start):
    engine = make_engine("waiting_app")
    instance_id = await start(engine, "approval")
    await engine.wait_idle()
    await engine.raise_event(instance_id, "Approval", '{"ok": true}')  # raw webhook POST
    await engine.raise_event(instance_id, "Approval", '"{\\"ok\\": true}"')  # SDK client (#295)
    status = await engine.wait(instance_id, 10)
    assert status["output"] == [{"ok": True}, '{"ok": true}']


async def test_newest_waiter_gets_the_event(make_engine, start):
    """DurableOrchestrationContext.WaitForExternalEvent (Azure/azure-functions-durable-extension,
    ContextImplementations/DurableOrchestrationContext.cs) keeps the waiters of one name on a
    stack ("to make it easier for users to abandon external events ... a Task.WhenAny in a
    loop"), and RaiseEvent completes the top one: after a timeout, the new wait gets the event
    at once, not the abandoned one (which would stall the loop until its old timer fires)."""
    clock = VirtualClock()
    engine = make_engine("waiting_app", clock=clock)
    instance_id = await start(engine, "patient")
    await engine.wait_idle()
    await clock.advance(60)  # the first wait times out; the loop waits again
    await engine.wait_idle()
    assert engine.status(instance_id)["runtimeStatus"] == "Running"
    await engine.raise_event(instance_id, "Ping", '"pong"')
    status = await engine.wait(instance_id, 10)
    assert status["output"] == {"tries": 2, "reply": "pong"}
