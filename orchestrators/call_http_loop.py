"""Fix 1: the same loop, with ``context.call_http`` instead of a raw call.

The POST is a durable action: the host runs it once and records the response in history, so a
replay reads the recorded response instead of calling again. The loop is still sequential,
and every awaited task (activity, then POST) ends an episode:

    replay cost: N durable HTTP calls, 2N+1 episodes (101 for N=50).

``bill`` adds an idempotency key, retries on durable timers and a row per invoice.
"""

from __future__ import annotations

import logging

import azure.durable_functions as df

from contract import CALCULATE_INVOICE
from invoices import fake_invoice
from orchestrators.billing import bill, finish
from orchestrators.invoice_run import RunInput, progress

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def call_http_loop(context: df.DurableOrchestrationContext):
    """Sequential loop: calculate, then POST through the durable HTTP API, one invoice at a time."""
    run = RunInput.from_context(context)
    rows = []
    # Sequential on purpose: fix 1 on its own keeps the loop; fan_out_fan_in is fix 2.
    for index in range(run.count):  # noqa: DUR101
        calculated = yield context.call_activity(CALCULATE_INVOICE, fake_invoice(run.seed, index))
        rows += yield from bill(context, run, [calculated], admitted=index > 0)
        context.set_custom_status(progress("posting", index + 1, run.count))
        if not context.is_replaying:
            logging.info(
                "call_http_loop %s: posted %s", context.instance_id, rows[-1]["invoice_id"]
            )
    return finish(context, rows)
