"""Without a billing target, a run started past the starters (the durable webhooks) fails as soon
as its first ``calculate_invoice`` result arrives (episode 2), before any POST, with the message
the starters give, and bills nothing. Before, it fell back to http://localhost:7071/... and
spent minutes in retries."""

import pytest
from azure.durable_functions.constants import HTTP_ACTION_NAME

from app_settings import FAKE_BILLING_API_ENABLED, INVOICE_API_URL, MISSING_BILLING_TARGET
from contract import ORCHESTRATORS
from devhost.testing import poll_status


@pytest.mark.parametrize("name", ORCHESTRATORS)
async def test_a_webhook_start_fails_at_once_and_bills_nothing(host_factory, http, name):
    host = await host_factory(
        "function_app", env={INVOICE_API_URL: "", FAKE_BILLING_API_ENABLED: "false"}
    )
    url = host.url(f"runtime/webhooks/durabletask/orchestrators/{name}")
    async with http.post(url, json={"count": 3, "seed": 0}) as response:
        assert response.status == 202, await response.text()
        links = await response.json()
    status = await poll_status(http, links["statusQueryGetUri"], timeout=30)
    assert status["runtimeStatus"] == "Failed"
    assert f"{MISSING_BILLING_TARGET} Nothing was billed." in status["output"]
    assert status["customStatus"]["phase"] == "failed"
    counters = host.engine.counters(links["id"])
    assert (counters.episodes, counters.http_calls) == (2, 0)
    scheduled = [event.get("Name") for event in host.engine.history(links["id"])]
    assert HTTP_ACTION_NAME not in scheduled
