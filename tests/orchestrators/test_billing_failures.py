"""A non-2xx answer is recorded; a transport failure fails the run, naming invoice and URL."""

import socket

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

ORCHESTRATORS = ["raw_http_loop", "call_http_loop", "fan_out_fan_in"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def unavailable_api():
    """A loopback billing API that answers every POST with 503."""
    received = []

    async def submit(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.json_response({"error": "maintenance"}, status=503)

    app = web.Application()
    app.router.add_post("/invoices", submit)
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("/invoices")), received


@pytest.mark.parametrize("name", ORCHESTRATORS)
async def test_non_2xx_is_recorded_not_raised(
    host_factory, run_orchestrator, unavailable_api, name
):
    url, received = unavailable_api
    host = await host_factory("function_app", env={"INVOICE_API_URL": url})
    run = await run_orchestrator(host, name, {"count": 3})
    assert run.status["runtimeStatus"] == "Completed"
    assert [row["api_status"] for row in run.status["output"]] == [503, 503, 503]
    assert {invoice["invoice_id"] for invoice in received} == {
        "INV-000000",
        "INV-000001",
        "INV-000002",
    }


@pytest.mark.parametrize("name", ORCHESTRATORS)
async def test_transport_failure_fails_the_run_naming_invoice_and_url(
    host_factory, run_orchestrator, name
):
    url = f"http://127.0.0.1:{closed_port()}/api/billing/invoices"
    host = await host_factory("function_app", env={"INVOICE_API_URL": url})
    run = await run_orchestrator(host, name, {"count": 3})
    assert run.status["runtimeStatus"] == "Failed"
    message = run.status["output"]
    assert f"POST {url} for invoice INV-000000 failed" in message
    assert message.startswith(f"Orchestrator function '{name}' failed:")
