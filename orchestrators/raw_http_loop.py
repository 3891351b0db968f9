"""Anti-pattern, kept on purpose: a raw HTTP call inside an orchestrator.

An orchestrator replays from the start of its history after every awaited task (an episode).
A raw call is not recorded in history, so every replay sends all earlier POSTs again:

    replay cost: N(N+1)/2 raw POSTs over N+1 episodes (1,275 POSTs for N=50).

As naive as the published code: no idempotency key, no retry. Do not copy it: the fixes follow.
"""

from __future__ import annotations

import logging

import azure.durable_functions as df
import requests

from contract import CALCULATE_INVOICE
from invoices import fake_invoice
from orchestrators.invoice_run import (
    BillingTarget,
    InvoicePostError,
    RunInput,
    billing_headers,
    ends_with_final_phase,
    progress,
    result_row,
)

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
@ends_with_final_phase
def raw_http_loop(context: df.DurableOrchestrationContext):
    """Sequential loop: calculate an invoice, then POST it, one invoice at a time."""
    run = RunInput.from_context(context)
    rows, headers = [], billing_headers(context)
    # Sequential on purpose: the loop of the published code (fan_out_fan_in is fix 2).
    for index in range(run.count):  # noqa: DUR101
        calculated = yield context.call_activity(CALCULATE_INVOICE, fake_invoice(run.seed, index))
        target = BillingTarget.for_run(run, calculated, admitted=index > 0)
        priced = calculated["invoice"]
        # The mistake: a raw POST. Every replay sends it again (and logs this line again).
        logging.warning("raw_http_loop %s: raw POST %s", context.instance_id, priced["invoice_id"])
        try:  # the raw POST, kept on purpose: the lesson of this file
            response = requests.post(target.url, json=priced, headers=headers, timeout=30)  # noqa: DUR001
        except requests.RequestException as exc:
            raise InvoicePostError(priced["invoice_id"], target.url, exc) from None
        rows.append(result_row(priced, response.status_code))
        context.set_custom_status(progress("posting", index + 1, run.count))
    return rows
