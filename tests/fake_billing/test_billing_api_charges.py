"""The stand-in billing API over HTTP: charges per run, idempotency keys, one ledger per app."""

import pytest

from app_settings import FAKE_BILLING_LATENCY_MS
from contract import (
    CALL_HTTP_LOOP,
    FAN_OUT_FAN_IN,
    IDEMPOTENCY_KEY_HEADER,
    RAW_HTTP_LOOP,
    RUN_ID_HEADER,
)
from devhost.testing import poll_status

N = 50


async def by_run(http, host) -> dict:
    async with http.get(host.url("api/billing/stats")) as response:
        return (await response.json())["by_run"]


@pytest.mark.parametrize(
    ("name", "received", "billed"),
    [
        (RAW_HTTP_LOOP, N * (N + 1) // 2, N * (N + 1) // 2),
        (CALL_HTTP_LOOP, N, N),
        (FAN_OUT_FAN_IN, N, N),
    ],
)
async def test_a_clean_run_is_charged_as_the_readme_says(app_host, http, name, received, billed):
    async with http.post(app_host.url(f"api/orchestrators/{name}"), json={"count": N}) as response:
        links = await response.json()
    status = await poll_status(http, links["statusQueryGetUri"], timeout=120)
    assert status["runtimeStatus"] == "Completed"
    assert (await by_run(http, app_host))[links["id"]] == {
        "received": received,
        "distinct_invoices": N,
        "billed": billed,  # no key: every one of the anti-pattern's POSTs is a charge
        "duplicates": 0,
    }


async def test_a_repeated_key_gets_the_first_answer(app_host, http):
    url = app_host.url("api/billing/invoices")
    headers = {IDEMPOTENCY_KEY_HEADER: "run-1:INV-1", RUN_ID_HEADER: "run-1"}
    answers = []
    for _ in range(3):
        async with http.post(url, json={"invoice_id": "INV-1"}, headers=headers) as response:
            answers.append((response.status, await response.json()))
    status, receipt = answers[0]
    assert (status, set(receipt), receipt["invoice_id"]) == (
        201,
        {"invoice_id", "charge_id"},
        "INV-1",
    )
    assert receipt["charge_id"].startswith("ch_")
    assert answers == [(201, receipt)] * 3  # the same charge, not three
    assert (await by_run(http, app_host))["run-1"] == {
        "received": 3,
        "distinct_invoices": 1,
        "billed": 1,
        "duplicates": 2,
    }


async def test_two_hosts_in_one_process_keep_separate_ledgers(host_factory, http):
    first = await host_factory("function_app", env={FAKE_BILLING_LATENCY_MS: "0"})
    second = await host_factory("function_app", env={FAKE_BILLING_LATENCY_MS: "0"})
    async with http.post(first.url("api/billing/invoices"), json={"invoice_id": "A"}) as response:
        assert response.status == 201
    assert (await by_run(http, first)) != {}
    assert (await by_run(http, second)) == {}


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({IDEMPOTENCY_KEY_HEADER: "k" * 257}, {"invoice_id": "A"}),
        ({}, {"invoice_id": "A" * 257}),
        ({}, {"invoice_id": 5}),
    ],
)
async def test_oversized_or_malformed_submissions_get_400(app_host, http, headers, body):
    url = app_host.url("api/billing/invoices")
    async with http.post(url, json=body, headers=headers) as response:
        assert response.status == 400
    assert await by_run(http, app_host) == {}


async def test_a_known_key_with_another_invoice_gets_422_and_is_not_charged(app_host, http):
    url = app_host.url("api/billing/invoices")
    headers = {IDEMPOTENCY_KEY_HEADER: "run-1:INV-1", RUN_ID_HEADER: "run-1"}
    async with http.post(url, json={"invoice_id": "INV-1", "total": "1"}, headers=headers):
        pass
    async with http.post(url, json={"invoice_id": "INV-1", "total": "2"}, headers=headers) as r:
        assert (r.status, r.content_type) == (422, "application/problem+json")
        assert (await r.json(content_type=None))["code"] == "idempotency_key_reused"
    assert (await by_run(http, app_host))["run-1"]["billed"] == 1


async def test_resetting_the_stats_keeps_the_keys(app_host, http):
    url = app_host.url("api/billing/invoices")
    headers = {IDEMPOTENCY_KEY_HEADER: "run-1:INV-1", RUN_ID_HEADER: "run-1"}
    async with http.post(url, json={"invoice_id": "INV-1"}, headers=headers) as response:
        first = await response.json()
    async with http.delete(app_host.url("api/billing/stats")) as response:
        assert (await response.json())["memory"]["keys"] == 1
    async with http.post(url, json={"invoice_id": "INV-1"}, headers=headers) as response:
        assert (response.status, await response.json()) == (201, first)
    assert (await by_run(http, app_host))["run-1"] == {
        "received": 1,
        "distinct_invoices": 1,
        "billed": 0,
        "duplicates": 1,
    }
