"""Against a billing API that fails on purpose, both fixes bill every invoice exactly once.

The stand-in fails the first attempt at every invoice (503), closes every 5th connection after
charging, and (in the partial-failure case) always fails one invoice. Retries go out on
durable timers with the same Idempotency-Key, so a retry of an invoice that was charged but
not answered is a duplicate, not a second charge.
"""

import json

import pytest

from app_settings import INVOICE_API_MAX_ATTEMPTS, INVOICE_API_RETRY_INTERVAL_MS, INVOICE_API_URL
from contract import BILLING_REPORT_MARKER, CALL_HTTP_LOOP, FAN_OUT_FAN_IN
from invoices.generator import invoice_id

N = 20
FIXES = [CALL_HTTP_LOOP, FAN_OUT_FAN_IN]
ALWAYS_FAILS = "INV-000007"


def retry_env(url: str, attempts: int = 5) -> dict[str, str]:
    return {
        INVOICE_API_URL: url,
        INVOICE_API_MAX_ATTEMPTS: str(attempts),
        INVOICE_API_RETRY_INTERVAL_MS: "10",
    }


def invoice_ids(n: int) -> list[str]:
    return [invoice_id(i) for i in range(n)]


@pytest.mark.parametrize("name", FIXES)
async def test_flaky_api_every_invoice_billed_once_with_a_stable_key(
    host_factory, run_orchestrator, faulty_billing, name
):
    async with faulty_billing(fail_first=True, close_every=5) as api:
        host = await host_factory("function_app", env=retry_env(api.url))
        run = await run_orchestrator(host, name, {"count": N, "seed": 0})
    assert run.status["runtimeStatus"] == "Completed", run.status["output"]
    assert [row["api_status"] for row in run.status["output"]] == [201] * N
    assert api.charges == dict.fromkeys(invoice_ids(N), 1)
    assert api.duplicates > 0  # a charged-but-unanswered POST was retried, not charged again
    assert api.received == sum(api.attempts.values()) > 2 * N
    assert set(api.keys) == set(invoice_ids(N))
    assert all(len(keys) == 1 for keys in api.keys.values())  # one key per invoice, every retry
    (run_key,) = {key.rpartition(":")[0] for keys in api.keys.values() for key in keys}
    assert api.keys == {invoice: {f"{run_key}:{invoice}"} for invoice in invoice_ids(N)}


async def test_the_fan_out_retries_only_the_invoices_that_failed(
    host_factory, run_orchestrator, faulty_billing
):
    async with faulty_billing(always_fail=frozenset({ALWAYS_FAILS})) as api:
        host = await host_factory("function_app", env=retry_env(api.url, attempts=4))
        run = await run_orchestrator(host, FAN_OUT_FAN_IN, {"count": N, "seed": 0})
    assert api.attempts == {
        invoice: 4 if invoice == ALWAYS_FAILS else 1 for invoice in invoice_ids(N)
    }
    # 3 episodes of the clean run, plus one per retry round: a timer, then the POSTs it frees.
    assert run.counters.episodes == 3 + 2 * 3


@pytest.mark.parametrize("name", FIXES)
async def test_partial_failure_reports_every_invoice(
    host_factory, run_orchestrator, faulty_billing, http, name
):
    async with faulty_billing(
        fail_first=True, close_every=5, always_fail=frozenset({ALWAYS_FAILS})
    ) as api:
        host = await host_factory("function_app", env=retry_env(api.url, attempts=3))
        run = await run_orchestrator(host, name, {"count": N, "seed": 0})
    assert run.status["runtimeStatus"] == "Failed"
    message = run.status["output"]
    assert (
        f"1 of {N} invoices were not billed ({N - 1} billed; 1 of them with no answer or a"
        in message
    )
    report = json.loads(message.partition(BILLING_REPORT_MARKER)[2])
    assert (report["billed"], report["failed"]) == (N - 1, 1)
    assert [row["invoice_id"] for row in report["rows"]] == invoice_ids(N)
    failed = [row for row in report["rows"] if "error" in row]
    assert [(row["invoice_id"], row["api_status"]) for row in failed] == [(ALWAYS_FAILS, 503)]
    billed = {row["invoice_id"] for row in report["rows"] if row["api_status"] == 201}
    assert billed == set(api.charges) == set(invoice_ids(N)) - {ALWAYS_FAILS}
    assert set(api.charges.values()) == {1}
    assert api.attempts[ALWAYS_FAILS] == 3
    async with http.get(host.url(f"api/runs/{run.status['instanceId']}")) as response:
        summary = await response.json()
    assert summary["billing"]["billed"] == N - 1
    # its last answer was a 503: the API did not say it did not charge (reconcile, not re-bill)
    assert (summary["billing"]["failed"], summary["billing"]["unknown"]) == (0, 1)
    assert ALWAYS_FAILS in summary["billing"]["reason"]
    assert summary["custom_status"] == {
        "phase": "failed",
        "done": N,
        "total": N,
        "billed": N - 1,
        "failed": 0,
        "unknown": 1,  # its last answer was a 503: counted as /api/runs counts it
    }
