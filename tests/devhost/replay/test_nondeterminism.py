"""DTFx's determinism check: a code change between episodes fails the instance (spec §4.2)."""

import dataclasses


async def test_renamed_activity_between_episodes_fails_naming_both(make_engine, start):
    engine = make_engine("failure_app")
    engine.index.module.RELEASE.set()
    instance_id = await start(engine, "flow_v1", instance_id="nd-1")
    await engine.wait_idle()
    assert engine.status(instance_id)["runtimeStatus"] == "Running"  # waiting for "Go"

    new_code = engine.index.orchestrators["flow_v2"].handle
    old = engine.index.orchestrators["flow_v1"]
    engine.index.orchestrators["flow_v1"] = dataclasses.replace(old, handle=new_code)
    await engine.raise_event(instance_id, "Go", "null")
    status = await engine.wait(instance_id, 10)

    assert status["runtimeStatus"] == "Failed"
    assert status["output"].startswith("Non-Deterministic workflow detected: ")
    assert "sequence number 0 named 'echo'" in status["output"]
    assert "scheduled an activity task named 'gated'" in status["output"]
    completed = engine.history(instance_id)[-2]
    assert (completed["EventType"], completed["OrchestrationStatus"]) == (1, 3)


async def test_same_code_replays_without_complaint(make_engine, start):
    engine = make_engine("failure_app")
    instance_id = await start(engine, "flow_v1")
    await engine.wait_idle()
    await engine.raise_event(instance_id, "Go", "null")
    status = await engine.wait(instance_id, 10)
    assert (status["runtimeStatus"], status["output"]) == ("Completed", ["a", "b"])
