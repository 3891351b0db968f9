"""The real app on the embedded host: the three orchestrators agree, and the billing API sees the
anti-pattern's replay storm (N(N+1)/2 raw calls) next to exactly N calls for each fix."""

import asyncio

from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP
from devhost.testing import poll_status

N = 5
EXPECTED_RECEIVED = {RAW_HTTP_LOOP: N * (N + 1) // 2, CALL_HTTP_LOOP: N, FAN_OUT_FAN_IN: N}


async def start(http, host, name):
    async with http.post(host.url(f"api/orchestrators/{name}"), json={"count": N}) as response:
        assert response.status == 202, await response.text()
        return await response.json()


async def test_three_orchestrators_same_output_and_billing_counts(app_host, http):
    names = list(EXPECTED_RECEIVED)
    links = await asyncio.gather(*(start(http, app_host, name) for name in names))
    statuses = [await poll_status(http, link["statusQueryGetUri"], timeout=60) for link in links]
    assert [s["runtimeStatus"] for s in statuses] == ["Completed"] * 3
    outputs = [s["output"] for s in statuses]
    assert len(outputs[0]) == N
    assert outputs[1] == outputs[0] and outputs[2] == outputs[0]
    assert [row["api_status"] for row in outputs[0]] == [201] * N
    async with http.get(app_host.url("api/billing/stats")) as response:
        by_run = (await response.json())["by_run"]
    for name, link in zip(names, links, strict=True):
        received = EXPECTED_RECEIVED[name]
        # Clean runs: no retry, so no duplicate; every POST without a key is a charge.
        assert by_run[link["id"]] == {
            "received": received,
            "distinct_invoices": N,
            "billed": received,
            "duplicates": 0,
        }


async def test_the_app_uses_this_hosts_own_billing_route(app_host):
    import app_settings

    assert app_settings.invoice_api_url() == app_host.url("api/billing/invoices")
    assert app_settings.fake_billing_enabled()


async def test_runs_summary_reports_the_hosts_counters(app_host, http):
    link = await start(http, app_host, FAN_OUT_FAN_IN)
    await poll_status(http, link["statusQueryGetUri"], timeout=60)
    async with http.get(app_host.url(f"api/runs/{link['id']}")) as response:
        assert response.status == 200
        summary = await response.json()
    assert summary["runtime_status"] == "Completed"
    assert summary["replay"]["episodes"] == app_host.engine.counters(link["id"]).episodes
