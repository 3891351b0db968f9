"""Good input starts the named orchestrator with the validated input, and no billing URL:
the orchestrator gets the deployment's from its first activity (nothing secret in the input)."""

import json

import pytest

from app_settings import INVOICE_API_URL, MAX_INVOICE_COUNT
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, ORCHESTRATORS, RAW_HTTP_LOOP

API_URL = "http://127.0.0.1:9/api/billing/invoices"


@pytest.fixture(autouse=True)
def _settings(monkeypatch):
    monkeypatch.setenv(INVOICE_API_URL, API_URL)
    monkeypatch.delenv(MAX_INVOICE_COUNT, raising=False)


@pytest.mark.parametrize("name", ORCHESTRATORS)
async def test_defaults(call, client, request_factory, name):
    req = request_factory(route_params={"name": name}, content_type=None)
    response = await call("start_orchestrator", req, client)
    assert response.status_code == 202
    client.start_new.assert_awaited_once_with(name, None, {"count": 50, "seed": 0})
    client.create_check_status_response.assert_called_once_with(req, f"id-{name}")


@pytest.mark.parametrize(
    ("params", "body", "expected"),
    [
        ({"count": "7"}, None, {"count": 7, "seed": 0}),
        ({"count": "1000", "seed": "2147483647"}, None, {"count": 1000, "seed": 2147483647}),
        ({}, {"count": 1, "seed": 7}, {"count": 1, "seed": 7}),
        ({"code": "abc=="}, {"count": 3}, {"count": 3, "seed": 0}),  # platform key ignored
        ({"seed": "4"}, {"count": 3}, {"count": 3, "seed": 4}),
    ],
)
async def test_query_and_body(call, client, request_factory, params, body, expected):
    req = request_factory(route_params={"name": CALL_HTTP_LOOP}, params=params, body=body)
    assert (await call("start_orchestrator", req, client)).status_code == 202
    client.start_new.assert_awaited_once_with(CALL_HTTP_LOOP, None, {**expected})


async def test_fan_out_takes_max_parallel(call, client, request_factory):
    req = request_factory(
        route_params={"name": FAN_OUT_FAN_IN}, body={"count": 20, "max_parallel": 5}
    )
    assert (await call("start_orchestrator", req, client)).status_code == 202
    client.start_new.assert_awaited_once_with(
        FAN_OUT_FAN_IN, None, {"count": 20, "seed": 0, "max_parallel": 5}
    )


async def test_compare_starts_all_three_with_the_same_input(call, client, request_factory):
    req = request_factory(route="compare", body={"count": 4, "seed": 9, "max_parallel": 2})
    response = await call("start_comparison", req, client)
    assert response.status_code == 202
    body = json.loads(response.get_body())
    assert [i["name"] for i in body["instances"]] == list(ORCHESTRATORS)
    assert body["instances"][0] == {
        "name": RAW_HTTP_LOOP,
        "id": "id-raw_http_loop",
        "status_url": "http://localhost:7071/api/runs/id-raw_http_loop",
    }
    assert [c.args for c in client.start_new.await_args_list] == [
        (RAW_HTTP_LOOP, None, {"count": 4, "seed": 9}),
        (CALL_HTTP_LOOP, None, {"count": 4, "seed": 9}),
        (FAN_OUT_FAN_IN, None, {"count": 4, "seed": 9, "max_parallel": 2}),
    ]
