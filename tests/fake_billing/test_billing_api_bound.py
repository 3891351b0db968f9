"""At its memory bound the stand-in answers 503 problem+json to a new run and forgets no key."""

import json

import azure.durable_functions as df
import azure.functions as func

from contract import IDEMPOTENCY_KEY_HEADER, RUN_ID_HEADER
from fake_billing import http_api
from fake_billing.ledger import BillingLedger, key_bytes


def submit(run: str, invoice_id: str) -> func.HttpRequest:
    return func.HttpRequest(
        method="POST",
        url="http://localhost:7071/api/billing/invoices",
        headers={
            "content-type": "application/json",
            IDEMPOTENCY_KEY_HEADER: f"{run}:{invoice_id}",
            RUN_ID_HEADER: run,
        },
        body=json.dumps({"invoice_id": invoice_id}).encode(),
    )


async def test_a_new_run_at_the_bound_gets_503_and_old_keys_still_answer(monkeypatch):
    monkeypatch.setenv("FAKE_BILLING_LATENCY_MS", "0")
    per_key = key_bytes("r0:INV-0", json.dumps({"invoice_id": "INV-0", "charge_id": "x" * 35}))
    ledger = BillingLedger(max_bytes=20 * per_key)
    app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)
    app.register_functions(http_api.blueprint(ledger))
    functions = {fn.get_function_name(): fn.get_user_function() for fn in app.get_functions()}
    route = functions["billing_submit_invoice"]
    statuses = [(await route(submit(f"r{run}", "INV-0"))).status_code for run in range(12)]
    admitted = statuses.index(503)
    assert admitted >= 5 and set(statuses[admitted:]) == {503}
    refused = await route(submit("r-new", "INV-0"))
    assert refused.mimetype == "application/problem+json"
    assert "refuses new runs" in json.loads(refused.get_body())["detail"]
    for run in range(admitted):  # a retry of any admitted run is still answered, not charged
        assert (await route(submit(f"r{run}", "INV-0"))).status_code == 201
    assert ledger.stats()["billed"] == admitted
    assert ledger.stats()["duplicates"] == admitted
