"""Status JSON: historyEvents filtered as the extension's DurableClient does."""


async def test_history_is_filtered_and_merged(make_engine, start):
    engine = make_engine("sequence_app")
    instance_id = await start(engine, "sequence", {"n": 1})
    await engine.wait(instance_id, 10)
    raw = engine.history(instance_id)
    status = engine.status(instance_id, show_history=True, show_input=False)
    kinds = [e["EventType"] for e in status["historyEvents"]]
    assert kinds == ["ExecutionStarted", "TaskCompleted", "ExecutionCompleted"]
    started, completed, done = status["historyEvents"]
    assert started["FunctionName"] == "sequence"
    assert not {"Name", "Input", "OrchestrationInstance", "EventId", "IsPlayed"} & set(started)
    assert completed["FunctionName"] == "double"
    assert completed["ScheduledTime"] == raw[2]["Timestamp"]
    assert not {"TaskScheduledId", "Result", "EventId", "Input"} & set(completed)
    assert done["OrchestrationStatus"] == "Completed" and "Result" not in done
    assert status["input"] is None and status["output"] == [0]
    assert "devhostCounters" not in status  # the counters have their own devhost route
    assert engine.counters(instance_id).episodes == 2


async def test_history_output_is_parsed_when_asked(make_engine, start):
    engine = make_engine("sequence_app")
    instance_id = await start(engine, "sequence", {"n": 1})
    await engine.wait(instance_id, 10)
    events = engine.status(instance_id, show_history=True, show_history_output=True)
    assert [e.get("Result") for e in events["historyEvents"]] == [None, 0, [0]]
    assert "historyEvents" not in engine.status(instance_id)


async def test_show_history_with_show_input_keeps_inputs_and_adds_the_scheduled_input(
    make_engine, start
):
    """DurableClient.GetDurableOrchestrationStatusAsync (Azure/azure-functions-durable-extension,
    ContextImplementations/DurableClient.cs) removes Input only `if (!showInput)`, so with it
    ExecutionStarted and EventRaised keep their Input strings, and AddScheduledEventDataAndAggregate
    copies the TaskScheduled's Input onto the TaskCompleted it merges into. The HTTP API's
    showInput defaults to true (HttpApiHandler.HandleGetStatusRequestAsync)."""
    engine = make_engine("sequence_app")
    instance_id = await start(engine, "sequence", {"n": 1})
    await engine.wait(instance_id, 10)
    raw = engine.history(instance_id)
    started, completed, _ = engine.status(instance_id, show_history=True)["historyEvents"]
    assert started["Input"] == raw[1]["Input"] == '"{\\"n\\": 1}"'
    assert completed["Input"] == raw[2]["Input"] == '["0"]'  # the parameters array
    assert list(completed)[-3:] == ["ScheduledTime", "FunctionName", "Input"]

    engine = make_engine("waiting_app")
    instance_id = await start(engine, "approval")
    await engine.raise_event(instance_id, "Approval", '"yes"')
    await engine.raise_event(instance_id, "Approval", '"again"')
    await engine.wait(instance_id, 10)
    history = engine.status(instance_id, show_history=True)["historyEvents"]
    raised = [e["Input"] for e in history if e["EventType"] == "EventRaised"]
    assert raised == ['"yes"', '"again"']
