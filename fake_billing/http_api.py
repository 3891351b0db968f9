"""Routes of the stand-in billing API: a demo stand-in, anonymous on purpose.

It plays an external payment API for the demo and the tests. It is not a billing service:
anyone who can reach the app can post to it and read or reset its counts. Each app instance
(each ``function_app`` import) gets its own ledger from ``blueprint()``; nothing is global.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import azure.durable_functions as df
import azure.functions as func

import app_settings
from contract import IDEMPOTENCY_KEY_HEADER, RUN_ID_HEADER
from fake_billing.ledger import BillingLedger, KeyReused, LedgerFull
from starters.problems import Problem, json_response, media_type

MAX_INVOICE_BYTES = 16 * 1024
MAX_ID_CHARS = 256  # the longest invoice id, run id or idempotency key the ledger keeps


def blueprint(ledger: BillingLedger | None = None) -> df.Blueprint:
    """The billing routes, serving ``ledger`` (a new one by default)."""
    ledger = ledger or BillingLedger()
    bp = df.Blueprint()

    @bp.route(route="billing/invoices", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
    async def billing_submit_invoice(req: func.HttpRequest) -> func.HttpResponse:
        """Charge one invoice after FAKE_BILLING_LATENCY_MS, like a real payment API would."""
        await asyncio.sleep(app_settings.fake_billing_latency_ms() / 1000)
        try:
            invoice = _invoice(req)
            invoice_id = invoice["invoice_id"]
            run_id, key = (_header(req, name) for name in (RUN_ID_HEADER, IDEMPOTENCY_KEY_HEADER))
            answer = {"invoice_id": invoice_id, "charge_id": f"ch_{uuid.uuid4().hex}"}
            answer, _charged = ledger.record(invoice, run_id, key, answer)
        except Problem as problem:
            return problem.to_response()
        except KeyReused as exc:
            return Problem(422, str(exc), code="idempotency_key_reused").to_response()
        except LedgerFull as exc:
            return Problem(503, str(exc)).to_response()
        return json_response(answer, status_code=201)

    @bp.route(route="billing/stats", methods=["GET", "DELETE"], auth_level=func.AuthLevel.ANONYMOUS)
    def billing_stats(req: func.HttpRequest) -> func.HttpResponse:
        """GET: received, distinct invoices, charges and duplicates, per run, and the keys'
        memory. DELETE: reset the counts; the idempotency keys stay."""
        if req.method.upper() == "DELETE":
            ledger.reset()
        return json_response(ledger.stats())

    return bp


def _invoice(req: func.HttpRequest) -> dict[str, Any]:
    if media_type(req) != "application/json":
        raise Problem(415, "Send the invoice as JSON, with Content-Type: application/json.")
    body = req.get_body()
    if len(body) > MAX_INVOICE_BYTES:
        raise Problem(413, f"An invoice is at most {MAX_INVOICE_BYTES // 1024} KiB.")
    try:
        invoice = json.loads(body)
    except (ValueError, RecursionError):
        raise Problem(400, "The body is not valid JSON.") from None
    invoice_id = invoice.get("invoice_id") if isinstance(invoice, dict) else None
    if not isinstance(invoice_id, str) or not 0 < len(invoice_id) <= MAX_ID_CHARS:
        raise Problem(400, "The invoice must have a string 'invoice_id'.")
    return invoice


def _header(req: func.HttpRequest, name: str) -> str | None:
    value = req.headers.get(name)
    if value is not None and not 0 < len(value) <= MAX_ID_CHARS:
        raise Problem(400, f"The {name} header must be 1 to {MAX_ID_CHARS} characters.")
    return value
