"""Fix 1: the same loop, with ``context.call_http`` instead of a raw call.

An orchestrator replays from the start of its history after every awaited task (an episode).
A durable call is recorded in history, so a replay reads its answer instead of sending it again:

    replay cost: N durable POSTs over 2N+1 episodes (101 episodes for N=50).

``billing_guard`` hardens the POSTs built here: idempotency keys, retries, receipts, a report.
"""

from __future__ import annotations

import logging

import azure.durable_functions as df

from contract import CALCULATE_INVOICE
from invoices import fake_invoice
from orchestrators.billing_guard import BillingGuard, every_invoice_reported
from orchestrators.invoice_run import (
    RunInput,
    progress,
)

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
@every_invoice_reported
def call_http_loop(context: df.DurableOrchestrationContext):
    """Sequential loop: calculate an invoice, then POST it, one invoice at a time."""
    run = RunInput.from_context(context)
    guard = BillingGuard(context, run)
    # Sequential on purpose: the loop of the published code (fan_out_fan_in is fix 2).
    for index in range(run.count):  # noqa: DUR101
        calculated = yield context.call_activity(CALCULATE_INVOICE, fake_invoice(run.seed, index))
        target = guard.target(calculated)
        priced = calculated["invoice"]
        # The fix: a durable POST. The host sends it once; a replay reads its recorded answer.
        post = context.call_http("POST", target.url, content=priced, headers=guard.headers(priced))
        with guard.tolerating_failures():
            yield post
        yield from guard.retry_failed([post])
        context.set_custom_status(progress("posting", index + 1, run.count))
        if not context.is_replaying:
            logging.info("call_http_loop %s: posted %s", context.instance_id, priced["invoice_id"])
    return guard.finish()
