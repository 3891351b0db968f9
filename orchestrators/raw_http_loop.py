"""ANTI-PATTERN, kept on purpose: a raw HTTP call inside an orchestrator.

Each pass awaits ``calculate_invoice`` and then POSTs the result with ``requests``. An
orchestrator replays from the start of its history after every awaited task, and a raw call is
not recorded in history, so every replay runs all earlier raw calls again:

    replay cost: N(N+1)/2 raw calls over N+1 episodes (1,275 calls for N=50).

The billing API receives each invoice again and again, and every pass is slower than the last.
It is as naive as the published code: no idempotency key, no retry. When a replayed POST fails,
the run fails as "Non-Deterministic workflow detected" (see the README).
Do not copy this module: ``call_http_loop`` and ``fan_out_fan_in`` are the fixes.
"""

from __future__ import annotations

import logging

import azure.durable_functions as df
import requests

from contract import CALCULATE_INVOICE
from invoices import fake_invoice
from orchestrators.billing import billing_headers, result_row
from orchestrators.invoice_run import BillingTarget, InvoicePostError, RunInput, progress
from redaction import redact_url

RAW_TIMEOUT_S = 30

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def raw_http_loop(context: df.DurableOrchestrationContext):
    """Sequential loop with a raw ``requests.post`` after each activity (the mistake)."""
    run = RunInput.from_context(context)
    rows = []
    # Sequential on purpose: the anti-pattern keeps the sequential loop of the blog.
    for index in range(run.count):  # noqa: DUR101
        calculated = yield context.call_activity(CALCULATE_INVOICE, fake_invoice(run.seed, index))
        target = BillingTarget.for_run(run, calculated, admitted=index > 0)
        priced = calculated["invoice"]
        # Logged on every replay on purpose: this line is the replay storm made visible.
        logging.warning(
            "raw_http_loop %s: raw POST %s for %s (replaying=%s)",
            context.instance_id,
            redact_url(target.url),
            priced["invoice_id"],
            context.is_replaying,
        )
        try:
            # Kept on purpose: the anti-pattern this app demonstrates.
            response = requests.post(  # noqa: DUR001
                target.url, json=priced, headers=billing_headers(context), timeout=RAW_TIMEOUT_S
            )
        except requests.RequestException as exc:
            raise InvoicePostError(priced["invoice_id"], target.url, exc) from None
        rows.append(result_row(priced, response.status_code))
        context.set_custom_status(progress("posting", index + 1, run.count))
    return rows
