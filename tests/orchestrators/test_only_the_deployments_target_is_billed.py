"""Whatever route starts a run, invoices go only to INVOICE_API_URL and at most
MAX_INVOICE_COUNT of them. The durable webhooks and the SDK client accept any input, so the
orchestrators check it against what ``calculate_invoice`` read from settings, before any POST.
"""

import json

import azure.durable_functions as df
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from app_settings import FAKE_BILLING_LATENCY_MS, MAX_INVOICE_COUNT
from contract import CALL_HTTP_LOOP, ORCHESTRATORS, RAW_HTTP_LOOP
from devhost.http.client_binding import client_binding_json
from devhost.testing import poll_status, wait_until


@pytest.fixture
async def foreign_listener():
    """A loopback listener a hostile caller would like the app to POST to."""
    received: list[bytes] = []

    async def anything(request: web.Request) -> web.Response:
        received.append(await request.read())
        return web.json_response({"secret": "what the attacker wants to read back"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", anything)
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("/steal")), received


async def start_through_webhook(http, host, name: str, payload: dict) -> str:
    url = host.url(f"runtime/webhooks/durabletask/orchestrators/{name}")
    async with http.post(url, json=payload) as response:
        assert response.status == 202, await response.text()
        return (await response.json())["statusQueryGetUri"]


async def start_through_client(http, host, name: str, payload: dict) -> str:
    client = df.DurableOrchestrationClient(client_binding_json(host.webhooks))
    instance_id = await client.start_new(name, None, payload)
    return host.url(f"runtime/webhooks/durabletask/instances/{instance_id}")


STARTS = [start_through_webhook, start_through_client]


async def billing_received(http, host) -> int:
    async with http.get(host.url("api/billing/stats")) as response:
        return (await response.json())["received"]


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("name", ORCHESTRATORS)
async def test_a_foreign_api_url_fails_the_run_and_sends_nothing(
    app_host, http, foreign_listener, name, start
):
    url, received = foreign_listener
    status_url = await start(http, app_host, name, {"count": 3, "seed": 0, "api_url": url})
    status = await poll_status(http, status_url, timeout=30)
    assert status["runtimeStatus"] == "Failed"
    assert "is not this deployment's INVOICE_API_URL; invoices go only there" in status["output"]
    assert "Nothing was billed." in status["output"]
    assert received == []
    assert await billing_received(http, app_host) == 0


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("name", ORCHESTRATORS)
async def test_a_count_above_the_limit_fails_the_run_and_bills_nothing(
    host_factory, http, name, start
):
    host = await host_factory(
        "function_app", env={FAKE_BILLING_LATENCY_MS: "0", MAX_INVOICE_COUNT: "3"}
    )
    status_url = await start(http, host, name, {"count": 10, "seed": 0})
    status = await poll_status(http, status_url, timeout=30)
    assert status["runtimeStatus"] == "Failed"
    assert (
        "orchestration input 'count' (10) is above this deployment's MAX_INVOICE_COUNT (3). "
        "Nothing was billed." in status["output"]
    )
    assert await billing_received(http, host) == 0


@pytest.mark.parametrize("name", [RAW_HTTP_LOOP, CALL_HTTP_LOOP])
async def test_a_limit_lowered_mid_run_does_not_hide_what_was_billed(
    host_factory, http, monkeypatch, name
):
    """The loops read the settings again with every invoice. A run is admitted before its first
    POST; an operator who lowers MAX_INVOICE_COUNT while it runs must not make it fail as
    "Nothing was billed" after it billed invoices (with no report of them)."""
    host = await host_factory(
        "function_app", env={FAKE_BILLING_LATENCY_MS: "20", MAX_INVOICE_COUNT: "30"}
    )
    instance_id = await host.engine.start_new(name, None, json.dumps({"count": 8, "seed": 0}))
    await wait_until(
        lambda: host.engine.counters(instance_id).activities_run >= 3, 30, "three invoices"
    )
    monkeypatch.setenv(MAX_INVOICE_COUNT, "2")
    status = await host.engine.wait(instance_id, timeout=60)
    assert status["runtimeStatus"] == "Completed", status["output"]
    assert [row["api_status"] for row in status["output"]] == [201] * 8


async def test_the_deployments_own_url_in_the_input_is_accepted(app_host, http):
    own = app_host.url("api/billing/invoices")
    status_url = await start_through_webhook(
        http, app_host, CALL_HTTP_LOOP, {"count": 2, "seed": 0, "api_url": own}
    )
    status = await poll_status(http, status_url, timeout=30)
    assert status["runtimeStatus"] == "Completed"
    assert await billing_received(http, app_host) == 2


def test_the_starters_put_no_url_in_the_input():
    from starters.run_request import RunRequest

    payload = RunRequest(count=2, seed=1).orchestration_input(with_max_parallel=False)
    assert "api_url" not in json.dumps(payload)
