"""Without a billing target (INVOICE_API_URL unset, stand-in off: a fresh Azure deployment),
every starter answers 503 problem+json naming INVOICE_API_URL, and starts nothing."""

import json

import pytest

from app_settings import FAKE_BILLING_API_ENABLED, INVOICE_API_URL
from contract import ORCHESTRATORS
from starters.problems import PROBLEM_JSON

STARTS = [("start_orchestrator", name) for name in ORCHESTRATORS] + [("start_comparison", None)]


@pytest.fixture(autouse=True)
def _no_target(monkeypatch):
    monkeypatch.setenv(INVOICE_API_URL, "")
    monkeypatch.setenv(FAKE_BILLING_API_ENABLED, "false")


@pytest.mark.parametrize(("starter", "name"), STARTS)
async def test_every_starter_answers_503_naming_the_setting(
    call, client, request_factory, starter, name
):
    req = request_factory(route_params={"name": name} if name else {}, body={"count": 2})
    response = await call(starter, req, client)
    assert response.status_code == 503
    assert response.mimetype == PROBLEM_JSON
    problem = json.loads(response.get_body())
    assert (problem["status"], problem["title"]) == (503, "Service Unavailable")
    assert f"the app setting {INVOICE_API_URL} is not set" in problem["detail"]
    assert problem["detail"].endswith("Nothing was started.")
    client.start_new.assert_not_awaited()


async def test_with_the_stand_in_on_the_local_route_is_the_target(
    call, client, request_factory, monkeypatch
):
    monkeypatch.setenv(FAKE_BILLING_API_ENABLED, "true")
    req = request_factory(route_params={"name": ORCHESTRATORS[1]}, body={"count": 2})
    assert (await call("start_orchestrator", req, client)).status_code == 202
    client.start_new.assert_awaited_once()
