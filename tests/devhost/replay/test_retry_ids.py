"""call_activity_with_retry: attempt and timer ids as DTFx's RetryInterceptor assigns them."""

from datetime import timedelta

from azure.durable_functions.models.history import HistoryEventType

from devhost import VirtualClock


async def test_two_attempts_take_ids_0_to_3_and_the_next_activity_4(make_engine, start):
    clock = VirtualClock()
    t0 = clock.now()
    engine = make_engine("failure_app", clock=clock)
    instance_id = await start(engine, "retrying")
    await engine.wait_idle()
    await clock.advance(1)  # the 1 s retry interval
    await engine.wait_idle()
    status = await engine.wait(instance_id, 10)

    history = engine.history(instance_id)
    scheduled = [
        (e["EventType"], e["EventId"], e.get("Name")) for e in history if e["EventId"] >= 0
    ]
    assert scheduled == [
        (4, 0, "always_fails"),
        (10, 1, None),
        (4, 2, "always_fails"),
        (10, 3, None),  # the dummy timer for back-compat
        (4, 4, "echo"),
        (1, 5, None),
    ]
    timers = [e["FireAt"] for e in history if e["EventType"] == HistoryEventType.TIMER_CREATED]
    assert timers == ["2024-05-01T10:00:01Z", "2024-05-01T10:00:01Z"]
    assert clock.now() == t0 + timedelta(seconds=1)
    assert status["output"]["after"] == "after"
    assert (
        "Activity function 'always_fails' failed:  RuntimeError: no luck with x"
        in (status["output"]["error"])
    )
