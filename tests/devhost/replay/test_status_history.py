"""Status JSON: historyEvents filtered as the extension's DurableClient does."""

import asyncio
import json

from aiohttp import web
from aiohttp.test_utils import TestServer
from azure.durable_functions.constants import HTTP_ACTION_NAME

from devhost.work.waiting import wait_until


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


async def test_a_durable_http_call_shows_as_builtin_http_activity_with_its_request_and_answer(
    make_engine, start, stub_api
):
    """DurableOrchestrationContext.ScheduleDurableHttpActivityAsync (Azure/azure-functions-
    durable-extension, ContextImplementations/DurableOrchestrationContext.cs) schedules a call as
    the activity `HttpOptions.HttpTaskActivityReservedName` ("BuiltIn::HttpActivity") with the
    DurableHttpRequest as its one input; DTFx's ScheduleTask serialises the parameters array, so
    TaskScheduled.Input is "[{...request...}]" with `content` a string. With showInput,
    GetDurableOrchestrationStatusAsync (DurableClient.cs) copies that Input, unparsed, onto the
    TaskCompleted (`AddScheduledEventDataAndAggregate`); with showHistoryOutput it parses Result
    (`ConvertOutputToJToken`): the DurableHttpResponse `{"statusCode", "headers", "content"}`.
    The run summary counts charges from exactly these fields (starters/billing_record.py)."""
    engine = make_engine("http_calls_app")
    args = {"method": "POST", "url": f"{stub_api}/ok", "content": {"invoice_id": "INV-1"}}
    instance_id = await start(engine, "probe", args)
    await engine.wait(instance_id, 10)
    status = engine.status(instance_id, show_history=True, show_history_output=True)
    (call,) = [e for e in status["historyEvents"] if e["EventType"] == "TaskCompleted"]
    assert call["FunctionName"] == HTTP_ACTION_NAME
    assert isinstance(call["Input"], str)
    (request,) = json.loads(call["Input"])
    assert (request["method"], request["uri"]) == ("POST", f"{stub_api}/ok")
    assert json.loads(request["content"]) == {"invoice_id": "INV-1"}
    assert call["Result"]["statusCode"] == 201
    assert json.loads(call["Result"]["content"]) == {"received": True}


async def test_terminating_drops_the_answer_of_a_call_in_flight_and_keeps_its_task_scheduled(
    make_engine, start
):
    """DTFx (Azure/durabletask, DurableTask.AzureStorage/AzureStorageOrchestrationService.cs,
    LockNextTaskOrchestrationWorkItemAsync) discards messages for an instance that is no longer
    executable (`IsExecutableInstanceAsync`, logged as DiscardingWorkItem): the answer of a POST
    in flight at terminate never reaches history. The status API keeps the unanswered
    TaskScheduled with its Name and Input (GetDurableOrchestrationStatusAsync merges only
    answered ones), which is how the run summary knows the POST was sent but not answered."""
    arrived, release = asyncio.Event(), asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        await request.read()
        arrived.set()
        await release.wait()
        return web.json_response({"received": True}, status=201)

    app = web.Application()
    app.router.add_post("/hang", hang)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        engine = make_engine("http_calls_app")
        args = {"method": "POST", "url": str(server.make_url("/hang")), "content": {"a": 1}}
        instance_id = await start(engine, "probe", args)
        await wait_until(arrived.is_set, 10, "the POST is in flight")
        await engine.terminate(instance_id, "stop")
        await engine.wait(instance_id, 10)
        release.set()
        await engine.wait_idle()
    finally:
        await server.close()
    status = engine.status(instance_id, show_history=True, show_history_output=True)
    kinds = [e["EventType"] for e in status["historyEvents"]]
    assert kinds == [
        "ExecutionStarted",
        "TaskScheduled",
        "ExecutionTerminated",
        "ExecutionCompleted",
    ]
    scheduled = status["historyEvents"][1]
    assert scheduled["Name"] == HTTP_ACTION_NAME
    assert json.loads(json.loads(scheduled["Input"])[0]["content"]) == {"a": 1}
