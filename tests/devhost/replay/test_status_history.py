"""Status JSON: historyEvents filtered as the extension's DurableClient does."""


async def test_history_is_filtered_and_merged(make_engine, start):
    engine = make_engine("sequence_app")
    instance_id = await start(engine, "sequence", {"n": 1})
    await engine.wait(instance_id, 10)
    raw = engine.history(instance_id)
    status = engine.status(instance_id, show_history=True)
    kinds = [e["EventType"] for e in status["historyEvents"]]
    assert kinds == ["ExecutionStarted", "TaskCompleted", "ExecutionCompleted"]
    started, completed, done = status["historyEvents"]
    assert started["FunctionName"] == "sequence"
    assert not {"Name", "Input", "OrchestrationInstance", "EventId", "IsPlayed"} & set(started)
    assert completed["FunctionName"] == "double"
    assert completed["ScheduledTime"] == raw[2]["Timestamp"]
    assert not {"TaskScheduledId", "Result", "EventId"} & set(completed)
    assert done["OrchestrationStatus"] == "Completed" and "Result" not in done
    assert status["input"] == '{"n": 1}' and status["output"] == [0]
    assert status["devhostCounters"]["episodes"] == 2


async def test_history_output_is_parsed_when_asked(make_engine, start):
    engine = make_engine("sequence_app")
    instance_id = await start(engine, "sequence", {"n": 1})
    await engine.wait(instance_id, 10)
    events = engine.status(instance_id, show_history=True, show_history_output=True)
    assert [e.get("Result") for e in events["historyEvents"]] == [None, 0, [0]]
    assert "historyEvents" not in engine.status(instance_id)
