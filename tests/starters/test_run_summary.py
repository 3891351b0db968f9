"""GET /api/runs/{id}: a summary without inputs, keys or raw history."""

import json

import pytest
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from contract import BILLING_REPORT_MARKER, CALCULATE_INVOICE, CALL_HTTP_LOOP

HISTORY = [
    {"EventType": "ExecutionStarted", "FunctionName": CALL_HTTP_LOOP, "Timestamp": "t"},
    {"EventType": "TaskCompleted", "FunctionName": CALCULATE_INVOICE, "Timestamp": "t"},
    {"EventType": "TaskCompleted", "FunctionName": "BuiltIn::HttpActivity", "Timestamp": "t"},
    {"EventType": "TaskFailed", "FunctionName": CALCULATE_INVOICE, "Timestamp": "t"},
    {"EventType": "TaskScheduled", "Name": "BuiltIn::HttpActivity", "Timestamp": "t"},
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


async def test_summary_counts_replay_figures_and_hides_input(call, client, request_factory):
    client.get_status.return_value = status()
    req = request_factory("GET", "runs/abc", route_params={"instance_id": "abc"}, content_type=None)
    response = await call("get_run", req, client)
    assert response.status_code == 200
    body = json.loads(response.get_body())
    assert body == {
        "instance_id": "abc",
        "name": CALL_HTTP_LOOP,
        "runtime_status": "Completed",
        "created_time": "2026-01-01T00:00:00+00:00",
        "last_updated_time": "2026-01-01T00:00:02.500000+00:00",
        "duration_seconds": 2.5,
        "custom_status": {"phase": "posting", "done": 2, "total": 2},
        "output_bytes": len(json.dumps([{"invoice_id": "INV-000000"}])),
        "billing": {"billed": 0, "failed": 1, "reason": None},  # a row without a 2xx status
        "replay": {
            "history_events": 6,
            "activities": 2,
            "http_calls": 2,
            "episodes": None,
            "episode_wall_s": None,
        },
    }
    assert "secret" not in response.get_body().decode()
    client.get_status.assert_awaited_once_with("abc", show_history=True, show_input=False)


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


async def test_a_terminate_reason_that_mimics_the_report_is_only_a_reason(
    call, client, request_factory
):
    """A Terminated run's output is the reason its terminator gave; one that contains the report
    marker followed by 5,000-deep JSON must not turn GET /api/runs/{id} into a 500."""
    reason = "x" + BILLING_REPORT_MARKER + "[" * 5000
    client.get_status.return_value = status(runtimeStatus="Terminated", output=reason)
    req = request_factory("GET", "runs/abc", route_params={"instance_id": "abc"}, content_type=None)
    response = await call("get_run", req, client)
    assert response.status_code == 200
    billing = json.loads(response.get_body())["billing"]
    assert billing == {"billed": None, "failed": None, "reason": "x"}


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
