"""GET /api/runs/{id}: a summary without inputs, keys or raw history."""

import json

import aiohttp
import pytest
from azure.durable_functions.constants import HTTP_ACTION_NAME
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from contract import CALCULATE_INVOICE, CALL_HTTP_LOOP, RAW_HTTP_LOOP


def post(invoice_id: str) -> str:
    """TaskScheduled.Input of a durable POST, as the status API shows it (a JSON string)."""
    request = {
        "method": "POST",
        "uri": "https://billing.example/invoices?code=secret",
        "headers": {"Idempotency-Key": f"abc:{invoice_id}"},
        "content": json.dumps({"invoice_id": invoice_id, "total": "1.00"}),
    }
    return json.dumps([request])


def answered(invoice_id: str, status: int = 201, **receipt) -> dict:
    body = {"invoice_id": invoice_id, "charge_id": "ch_1", **receipt}
    return {
        "EventType": "TaskCompleted",
        "FunctionName": HTTP_ACTION_NAME,
        "Input": post(invoice_id),
        "Result": {"statusCode": status, "headers": {}, "content": json.dumps(body)},
        "Timestamp": "t",
    }


HISTORY = [
    {"EventType": "ExecutionStarted", "FunctionName": CALL_HTTP_LOOP, "Timestamp": "t"},
    {"EventType": "TaskCompleted", "FunctionName": CALCULATE_INVOICE, "Timestamp": "t"},
    answered("INV-000000"),
    {"EventType": "TaskFailed", "FunctionName": CALCULATE_INVOICE, "Timestamp": "t"},
    {"EventType": "TaskScheduled", "Name": HTTP_ACTION_NAME, "Input": post("INV-000001")},
    {"EventType": "ExecutionCompleted", "OrchestrationStatus": "Completed", "Timestamp": "t"},
]


def status(**extra):
    return DurableOrchestrationStatus.from_json(
        {
            "name": CALL_HTTP_LOOP,
            "instanceId": "abc",
            "runtimeStatus": "Completed",
            "input": {"api_url": "http://secret.example", "count": 2},
            "customStatus": {"phase": "posting", "done": 2, "total": 2},
            "output": [{"invoice_id": "INV-000000"}],
            "createdTime": "2026-01-01T00:00:00Z",
            "lastUpdatedTime": "2026-01-01T00:00:02.5Z",
            "historyEvents": HISTORY,
            **extra,
        }
    )


async def summary_of(call, client, request_factory) -> dict:
    req = request_factory("GET", "runs/abc", route_params={"instance_id": "abc"}, content_type=None)
    response = await call("get_run", req, client)
    assert response.status_code == 200
    assert "secret" not in response.get_body().decode()
    return json.loads(response.get_body())


async def test_summary_counts_from_history_and_hides_input(call, client, request_factory):
    client.get_status.return_value = status()
    body = await summary_of(call, client, request_factory)
    assert body == {
        "instance_id": "abc",
        "name": CALL_HTTP_LOOP,
        "runtime_status": "Completed",
        "created_time": "2026-01-01T00:00:00+00:00",
        "last_updated_time": "2026-01-01T00:00:02.500000+00:00",
        "duration_seconds": 2.5,
        "custom_status": {"phase": "posting", "done": 2, "total": 2},
        "output_bytes": len(json.dumps([{"invoice_id": "INV-000000"}])),
        "billing": {
            "billed": 1,
            "failed": 0,
            "unknown": 1,  # sent, never answered in history
            "invoice_ids": {"billed": ["INV-000000"], "failed": [], "unknown": ["INV-000001"]},
            "note": None,
            "reason": None,
        },
        "replay": {
            "history_events": 6,
            "activities": 2,
            "http_calls": 2,
            "episodes": None,
            "episode_wall_s": None,
        },
    }
    # First without history, then the history with each POST's request and answer.
    first, second = client.get_status.await_args_list
    assert (first.args, first.kwargs) == (("abc",), {"show_input": True})
    assert second.kwargs == {"show_history": True, "show_history_output": True, "show_input": True}


async def test_a_forged_report_in_the_terminate_reason_changes_no_figure(
    call, client, request_factory
):
    """A Terminated run's output is the reason its terminator gave: only text to show."""
    reason = 'stop. Report: {"billed": 999, "failed": 0}'
    client.get_status.return_value = status(runtimeStatus="Terminated", output=reason)
    billing = (await summary_of(call, client, request_factory))["billing"]
    assert (billing["billed"], billing["failed"], billing["unknown"]) == (1, 0, 1)
    assert billing["reason"] == reason


async def test_a_deeply_nested_reason_is_only_a_reason(call, client, request_factory):
    reason = "x Report: " + "[" * 5000
    client.get_status.return_value = status(runtimeStatus="Terminated", output=reason)
    billing = (await summary_of(call, client, request_factory))["billing"]
    assert billing["billed"] == 1 and billing["reason"] == reason[:497] + "..."


async def test_a_run_above_max_invoice_count_has_its_history_left_unread(
    call, client, request_factory, monkeypatch
):
    monkeypatch.setenv("MAX_INVOICE_COUNT", "10")
    client.get_status.return_value = status(input={"count": 11, "seed": 0})
    body = await summary_of(call, client, request_factory)
    assert client.get_status.await_count == 1
    assert body["billing"]["billed"] is None and "above" in body["billing"]["note"]
    assert body["replay"]["history_events"] is None


async def test_the_anti_patterns_raw_posts_are_not_in_history(call, client, request_factory):
    client.get_status.return_value = status(name=RAW_HTTP_LOOP)
    billing = (await summary_of(call, client, request_factory))["billing"]
    assert (billing["billed"], billing["failed"], billing["unknown"]) == (None, None, None)
    assert "not durable actions" in billing["note"]


async def test_episodes_come_from_host_counters_when_reported(call, client, request_factory):
    client.get_status.return_value = status()
    client._get_async_request.return_value = [200, {"episodes": 5}]
    req = request_factory("GET", "runs/abc", route_params={"instance_id": "abc"}, content_type=None)
    body = json.loads((await call("get_run", req, client)).get_body())
    assert body["replay"]["episodes"] == 5
    client._get_async_request.assert_awaited_once_with(
        "http://127.0.0.1:7071/durabletask/devhost/instances/abc/counters"
    )


async def test_counters_in_the_status_body_are_not_read(call, client, request_factory):
    """The counters come from the host's own route only; a status field of that name (which no
    real host sends) is ignored."""
    client.get_status.return_value = status(devhostCounters={"episodes": 5})
    req = request_factory("GET", "runs/abc", route_params={"instance_id": "abc"}, content_type=None)
    body = json.loads((await call("get_run", req, client)).get_body())
    assert body["replay"]["episodes"] is None


async def test_episode_durations_come_from_host_counters_when_reported(
    call, client, request_factory
):
    client.get_status.return_value = status()
    client._get_async_request.return_value = [200, {"episode_wall_s": [0.5, 0.25]}]
    req = request_factory("GET", "runs/abc", route_params={"instance_id": "abc"}, content_type=None)
    body = json.loads((await call("get_run", req, client)).get_body())
    assert body["replay"]["episode_wall_s"] == [0.5, 0.25]


async def test_unknown_instance_gets_404(call, client, request_factory):
    client.get_status.return_value = DurableOrchestrationStatus.from_json("not found")
    req = request_factory(
        "GET", "runs/nope", route_params={"instance_id": "nope"}, content_type=None
    )
    response = await call("get_run", req, client)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "bad",
    ["a/b", "a#b", "a?b", "x" * 257, "tab\there", "", ".", "..", "%2e", "%41", "a%2fb", "50%"],
)
async def test_invalid_instance_id_gets_400_without_a_lookup(call, client, request_factory, bad):
    req = request_factory("GET", "runs/x", route_params={"instance_id": bad}, content_type=None)
    response = await call("get_run", req, client)
    assert response.status_code == 400
    client.get_status.assert_not_awaited()


@pytest.mark.parametrize(
    "failure",
    [
        ValueError("Expecting value: line 1 column 1 (char 0)"),  # a non-JSON 404 page
        aiohttp.ClientConnectionError("Connection reset by peer"),
        TimeoutError(),
    ],
)
async def test_a_host_whose_counters_route_fails_still_gets_the_summary(
    call, client, request_factory, failure
):
    """The counters are the embedded host's extra; a real host's local RPC listener may answer
    that route with a page the SDK cannot parse as JSON (its ``get_async_request`` calls
    ``response.json``) or drop the connection: what the run charged must still be shown."""
    client.get_status.return_value = status()
    client._get_async_request.side_effect = failure
    req = request_factory("GET", "runs/abc", route_params={"instance_id": "abc"}, content_type=None)
    response = await call("get_run", req, client)
    assert response.status_code == 200
    assert json.loads(response.get_body())["replay"]["episodes"] is None
