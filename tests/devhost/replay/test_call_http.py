"""call_http failure modes (spec §4.4): non-2xx is a value, transport errors are TaskFailed."""

import json
import socket

from azure.durable_functions.models.history import HistoryEventType


async def test_non_2xx_is_returned_as_a_value_without_content_headers(make_engine, start, stub_api):
    engine = make_engine("http_calls_app")
    instance_id = await start(engine, "probe", {"method": "GET", "url": f"{stub_api}/fail"})
    status = await engine.wait(instance_id, 10)
    response = status["output"]
    assert (response["statusCode"], response["content"]) == (500, "boom")
    assert response["headers"]["X-Reason"] == "test"
    assert not {"Content-Type", "Content-Length"} & set(response["headers"])
    assert engine.counters(instance_id).http_calls == 1


async def test_content_defaults_to_text_plain(make_engine, start, stub_api):
    engine = make_engine("http_calls_app")
    args = {"method": "POST", "url": f"{stub_api}/echo", "content": {"a": 1}}
    status = await engine.wait(await start(engine, "probe", args), 10)
    seen = json.loads(status["output"]["content"])
    assert seen == {"content_type": "text/plain; charset=utf-8", "body": '{"a": 1}'}


async def test_connection_refused_becomes_an_orchestrator_exception(make_engine, start, events):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = make_engine("http_calls_app")
    args = {"method": "GET", "url": f"http://127.0.0.1:{port}/x"}
    instance_id = await start(engine, "probe", args)
    status = await engine.wait(instance_id, 10)
    failed = [
        e for e in events(engine, instance_id) if e["EventType"] == HistoryEventType.TASK_FAILED
    ]
    assert len(failed) == 1 and failed[0]["TaskScheduledId"] == 0
    assert str(port) in failed[0]["Reason"]
    assert status["output"]["error"].startswith(f"{failed[0]['Reason']} \n ")
    scheduled = [
        e for e in events(engine, instance_id) if e["EventType"] == HistoryEventType.TASK_SCHEDULED
    ]
    assert scheduled[0]["Name"] == "BuiltIn::HttpActivity"
    assert json.loads(scheduled[0]["Input"])[0]["uri"] == args["url"]
