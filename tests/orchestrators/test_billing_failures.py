"""When billing fails: the anti-pattern stays naive, the fixes retry and then report.

The anti-pattern records a non-2xx answer and fails on a transport error, naming invoice and URL.
The fixes retry both (up to INVOICE_API_MAX_ATTEMPTS), then fail the run with a row per invoice.
A 4xx other than 408/429 is final, not retried; so is a 2xx without a receipt (not a charge).
"""

import json

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from app_settings import INVOICE_API_MAX_ATTEMPTS, INVOICE_API_RETRY_INTERVAL_MS, INVOICE_API_URL
from contract import BILLING_REPORT_MARKER, CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP

FIXES = [CALL_HTTP_LOOP, FAN_OUT_FAN_IN]
IDS = ["INV-000000", "INV-000001", "INV-000002"]


def env(url: str) -> dict[str, str]:
    return {
        INVOICE_API_URL: url,
        INVOICE_API_MAX_ATTEMPTS: "2",
        INVOICE_API_RETRY_INTERVAL_MS: "10",
    }


@pytest.fixture
def answering():
    """``async with answering(status) as (url, received)``: every POST gets ``status``."""

    def serve(status: int) -> TestServer:
        received: list[dict] = []

        async def submit(request: web.Request) -> web.Response:
            received.append(await request.json())
            return web.json_response({"error": "no"}, status=status)

        app = web.Application()
        app.router.add_post("/invoices", submit)
        server = TestServer(app, host="127.0.0.1")
        server.received = received
        return server

    return serve


def report(output: str) -> dict:
    return json.loads(output.partition(BILLING_REPORT_MARKER)[2])


async def test_the_anti_pattern_records_non_2xx(host_factory, run_orchestrator, answering):
    async with answering(503) as server:
        host = await host_factory("function_app", env=env(str(server.make_url("/invoices"))))
        run = await run_orchestrator(host, RAW_HTTP_LOOP, {"count": 3})
    assert run.status["runtimeStatus"] == "Completed"
    assert [row["api_status"] for row in run.status["output"]] == [503, 503, 503]
    assert [invoice["invoice_id"] for invoice in server.received] == ["INV-000000", *IDS[:2], *IDS]


@pytest.mark.parametrize(
    ("status", "attempts"), [(503, 2), (429, 2), (408, 2), (400, 1), (409, 1), (422, 1), (200, 1)]
)
@pytest.mark.parametrize("name", FIXES)
async def test_fixes_retry_transient_statuses_only(
    host_factory, run_orchestrator, answering, name, status, attempts
):
    async with answering(status) as server:
        host = await host_factory("function_app", env=env(str(server.make_url("/invoices"))))
        run = await run_orchestrator(host, name, {"count": 3})
    assert run.status["runtimeStatus"] == "Failed"
    assert sorted(invoice["invoice_id"] for invoice in server.received) == sorted(IDS * attempts)
    rows = report(run.status["output"])["rows"]
    assert [(row["invoice_id"], row["api_status"]) for row in rows] == [(i, status) for i in IDS]
    assert all(f"answered {status}" in row["error"] for row in rows)


async def test_the_anti_pattern_fails_on_a_transport_error_naming_invoice_and_url(
    host_factory, run_orchestrator, unused_tcp_port
):
    url = f"http://127.0.0.1:{unused_tcp_port}/api/billing/invoices"
    host = await host_factory("function_app", env=env(url))
    run = await run_orchestrator(host, RAW_HTTP_LOOP, {"count": 3})
    assert run.status["runtimeStatus"] == "Failed"
    message = run.status["output"]
    assert message.startswith(f"Orchestrator function '{RAW_HTTP_LOOP}' failed:")
    assert f"POST {url} for invoice INV-000000 failed" in message


@pytest.mark.parametrize("name", FIXES)
async def test_fixes_report_a_transport_error_per_invoice(
    host_factory, run_orchestrator, unused_tcp_port, name
):
    url = f"http://127.0.0.1:{unused_tcp_port}/api/billing/invoices"
    host = await host_factory("function_app", env=env(url))
    run = await run_orchestrator(host, name, {"count": 3})
    assert run.status["runtimeStatus"] == "Failed"
    message = run.status["output"]
    assert message.startswith(  # refused in transit: nothing says the API did not charge
        f"Orchestrator function '{name}' failed: 3 of 3 invoices were not billed (0 billed; 3 of"
        " them with no answer or a 5xx/408: they may be charged, reconcile them)"
    )
    rows = report(message)["rows"]
    assert [row["invoice_id"] for row in rows] == IDS
    assert all(row["api_status"] is None for row in rows)
    assert all(f"POST {url} for invoice {row['invoice_id']} failed" in row["error"] for row in rows)
    assert run.counters.http_calls == 3 * 2
