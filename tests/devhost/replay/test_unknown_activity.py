"""An unregistered activity name: the real host hangs; devhost fails the instance and says why."""

import logging


async def test_typo_fails_with_a_clear_message(make_engine, start, caplog):
    engine = make_engine("failure_app")
    with caplog.at_level(logging.ERROR, logger="devhost"):
        instance_id = await start(engine, "typo")
        status = await engine.wait(instance_id, 10)
    assert status["runtimeStatus"] == "Failed"
    assert status["output"].startswith(
        "devhost: orchestrator 'typo' scheduled activity 'ecoh', which is not registered "
        "(registered: always_fails, echo, gated)."
    )
    assert "would leave this instance Running forever" in status["output"]
    assert "ecoh" in caplog.text
    assert [e["EventType"] for e in engine.history(instance_id)] == [12, 0, 1, 13]


async def test_orchestrator_exception_fails_with_the_shim_reason(make_engine, start):
    engine = make_engine("failure_app")
    status = await engine.wait(await start(engine, "raises"), 10)
    assert status["runtimeStatus"] == "Failed"
    assert status["output"] == "Orchestrator function 'raises' failed: bad invoice"
