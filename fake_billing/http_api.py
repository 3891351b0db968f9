"""Routes of the stand-in billing API (anonymous: it is a fake external service)."""

from __future__ import annotations

import asyncio
import json

import azure.durable_functions as df
import azure.functions as func

import app_settings
from fake_billing.ledger import BillingLedger
from orchestrators.invoice_run import RUN_ID_HEADER
from starters.problems import Problem, json_response, media_type

ledger = BillingLedger()
bp = df.Blueprint()


@bp.route(route="billing/invoices", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
async def billing_submit_invoice(req: func.HttpRequest) -> func.HttpResponse:
    """Accept one invoice after FAKE_BILLING_LATENCY_MS, like a real API would."""
    await asyncio.sleep(app_settings.fake_billing_latency_ms() / 1000)
    if media_type(req) != "application/json":
        return Problem(
            415, "Send the invoice as JSON, with Content-Type: application/json."
        ).to_response()
    try:
        invoice = json.loads(req.get_body())
    except ValueError:
        return Problem(400, "The body is not valid JSON.").to_response()
    invoice_id = invoice.get("invoice_id") if isinstance(invoice, dict) else None
    if not isinstance(invoice_id, str) or not invoice_id:
        return Problem(400, "The invoice must have a string 'invoice_id'.").to_response()
    ledger.record(invoice_id, req.headers.get(RUN_ID_HEADER))
    return json_response({"received": True, "invoice_id": invoice_id}, status_code=201)


@bp.route(route="billing/stats", methods=["GET", "DELETE"], auth_level=func.AuthLevel.ANONYMOUS)
def billing_stats(req: func.HttpRequest) -> func.HttpResponse:
    """GET: what was received (total, distinct invoices, per run). DELETE: reset the counts."""
    if req.method.upper() == "DELETE":
        ledger.reset()
    return json_response(ledger.stats())
