"""A key in INVOICE_API_URL (user info or ``?code=``) appears in no log line, output, failure
message or run summary. (History keeps ``call_http`` requests as they are: see the README.)"""

import logging

import pytest

from app_settings import (
    FAKE_BILLING_LATENCY_MS,
    INVOICE_API_MAX_ATTEMPTS,
    INVOICE_API_RETRY_INTERVAL_MS,
    INVOICE_API_URL,
)
from contract import ORCHESTRATORS, RAW_HTTP_LOOP

SECRET = "s3cr3t-KEY"


def secret_url(port: int) -> str:
    return f"http://user:{SECRET}@127.0.0.1:{port}/api/billing/invoices?code={SECRET}"


async def summary(http, host, instance_id: str) -> str:
    async with http.get(host.url(f"api/runs/{instance_id}")) as response:
        assert response.status == 200
        return await response.text()


def logged(caplog) -> str:
    return "\n".join(f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records)


@pytest.mark.parametrize("name", ORCHESTRATORS)
async def test_a_keyed_url_leaks_nowhere_on_success(
    host_factory, run_orchestrator, http, caplog, unused_tcp_port, name
):
    caplog.set_level(logging.DEBUG)
    env = {INVOICE_API_URL: secret_url(unused_tcp_port), FAKE_BILLING_LATENCY_MS: "0"}
    host = await host_factory("function_app", env=env, port=unused_tcp_port)
    run = await run_orchestrator(host, name, {"count": 3})
    assert run.status["runtimeStatus"] == "Completed"
    assert run.ledger["billed"] >= 3  # the keyed URL did reach the billing API
    assert SECRET not in str(run.status["output"])
    assert SECRET not in await summary(http, host, run.status["instanceId"])
    assert SECRET not in logged(caplog)
    if name == RAW_HTTP_LOOP:  # the replay storm is logged, by instance and invoice
        instance_id = run.status["instanceId"]
        assert f"raw_http_loop {instance_id}: raw POST INV-000000" in logged(caplog)


@pytest.mark.parametrize("name", ORCHESTRATORS)
async def test_a_keyed_url_leaks_nowhere_on_failure(
    host_factory, run_orchestrator, http, caplog, unused_tcp_port, name
):
    caplog.set_level(logging.DEBUG)
    env = {
        INVOICE_API_URL: secret_url(unused_tcp_port),  # nothing listens there
        INVOICE_API_MAX_ATTEMPTS: "2",
        INVOICE_API_RETRY_INTERVAL_MS: "10",
    }
    host = await host_factory("function_app", env=env)
    run = await run_orchestrator(host, name, {"count": 2})
    assert run.status["runtimeStatus"] == "Failed"
    assert "POST http://REDACTED@127.0.0.1:" in run.status["output"]
    assert "/api/billing/invoices?REDACTED for invoice INV-000000 failed" in run.status["output"]
    assert SECRET not in run.status["output"]
    assert SECRET not in await summary(http, host, run.status["instanceId"])
    assert SECRET not in logged(caplog)
