"""call_http failure modes (spec §4.4): non-2xx is a value, transport errors are TaskFailed."""

import json
import socket

import pytest
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


@pytest.mark.parametrize(
    ("content_type", "sent"),
    [
        (None, "text/plain"),
        ("", "text/plain"),
        ("application/json", "application/json"),
        ("Application/Vnd.Example+JSON", "Application/Vnd.Example+JSON"),
        ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8"),
    ],
)
async def test_call_http_content_type_is_sent_as_media_type_header_value_sets_it(
    make_engine, start, stub_api, content_type, sent
):
    """ConvertToHttpRequestMessage (TaskHttpActivityShim.cs) defaults to "text/plain" and sets
    `new MediaTypeHeaderValue(contentType)`, which adds no charset; only form-urlencoded goes
    through `new StringContent(content, Encoding.UTF8, contentType)` and gains "; charset=utf-8"."""
    engine = make_engine("http_calls_app")
    args = {"method": "POST", "url": f"{stub_api}/echo", "content": {"a": 1}}
    if content_type is not None:
        args["headers"] = {"Content-Type": content_type}
    status = await engine.wait(await start(engine, "probe", args), 10)
    seen = json.loads(status["output"]["content"])
    assert seen == {"content_type": sent, "body": '{"a": 1}'}


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (
            {"Content-Type": "application/json; charset=utf-8"},
            "The format of value 'application/json; charset=utf-8' is invalid.",
        ),
        ({"Content-Type": "json"}, "The format of value 'json' is invalid."),
        (
            {"Content-Type": "multipart/form-data"},
            "Multipart content is not supported with CallHttpAsync.",
        ),
        (
            {"X-Ok": "1", "Content-Language": "en"},
            "Misused header name, 'Content-Language'. Make sure request headers are used with "
            "HttpRequestMessage, response headers with HttpResponseMessage, and content headers "
            "with HttpContent objects.",
        ),
        ({"Expires": "0"}, "Misused header name, 'Expires'."),
        ({"Bad Name": "0"}, "The header name format is invalid."),
    ],
)
async def test_call_http_request_that_dotnet_refuses_fails_the_task(
    make_engine, start, stub_api, headers, reason
):
    """ConvertToHttpRequestMessage (TaskHttpActivityShim.cs) runs outside RunAsync's try, so its
    exception reaches DTFx's TaskActivityDispatcher, which writes TaskFailed with the exception's
    message as Reason: FormatException from MediaTypeHeaderValue, InvalidOperationException from
    `requestMessage.Headers.Add` for a content header, FunctionFailedException for multipart."""
    engine = make_engine("http_calls_app")
    args = {"method": "POST", "url": f"{stub_api}/echo", "content": "x", "headers": headers}
    instance_id = await start(engine, "probe", args)
    status = await engine.wait(instance_id, 10)
    failed = [
        e for e in engine.history(instance_id) if e["EventType"] == HistoryEventType.TASK_FAILED
    ]
    assert len(failed) == 1 and failed[0]["Reason"].startswith(reason)
    assert failed[0]["Details"].startswith("Unhandled exception while executing task: ")
    assert status["output"]["error"].startswith(failed[0]["Reason"])


async def test_connection_refused_becomes_an_orchestrator_exception(make_engine, start):
    """SocketsHttpHandler's HttpRequestException names the error and `host:port` only
    ("Connection refused (127.0.0.1:port)"), never the path or query of the URI."""
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = make_engine("http_calls_app")
    args = {"method": "GET", "url": f"http://127.0.0.1:{port}/x?code=SECRET"}
    instance_id = await start(engine, "probe", args)
    status = await engine.wait(instance_id, 10)
    failed = [
        e for e in engine.history(instance_id) if e["EventType"] == HistoryEventType.TASK_FAILED
    ]
    assert len(failed) == 1 and failed[0]["TaskScheduledId"] == 0
    assert failed[0]["Reason"] == f"Connection refused (127.0.0.1:{port})"
    assert status["output"]["error"].startswith(f"{failed[0]['Reason']} \n ")
    scheduled = [
        e for e in engine.history(instance_id) if e["EventType"] == HistoryEventType.TASK_SCHEDULED
    ]
    assert scheduled[0]["Name"] == "BuiltIn::HttpActivity"
    assert json.loads(scheduled[0]["Input"])[0]["uri"] == args["url"]
