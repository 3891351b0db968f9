"""Fix 2: fan-out/fan-in. Schedule every task, then wait once with ``context.task_all``.

An orchestrator replays from the start of its history after every awaited task (an episode).
Awaiting all N activities together, then all N POSTs together, makes the replays few:

    replay cost: N durable POSTs over 3 episodes (schedule, fan-in + POSTs, finish).

``billing_guard`` hardens the POSTs built here: idempotency keys, retries, receipts, a report.
"""

from __future__ import annotations

import logging

import azure.durable_functions as df

from contract import CALCULATE_INVOICE
from invoices import fake_invoice
from orchestrators.batches import batches
from orchestrators.billing_guard import BillingGuard, every_invoice_reported
from orchestrators.invoice_run import (
    RunInput,
    progress,
)

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
@every_invoice_reported
def fan_out_fan_in(context: df.DurableOrchestrationContext):
    """Calculate all invoices in parallel, then POST them all in parallel (``max_parallel``, an
    optional input, caps the tasks in flight, at two more episodes per batch)."""
    run = RunInput.from_context(context)
    guard = BillingGuard(context, run)
    context.set_custom_status(progress("calculating", 0, run.count))
    # Fan out: create every task first, then wait for all of them at once (per max_parallel).
    tasks = [
        context.call_activity(CALCULATE_INVOICE, fake_invoice(run.seed, i))
        for i in range(run.count)
    ]
    results = []
    for batch in batches(tasks, run.max_parallel):
        results += yield context.task_all(batch)
    posts = []
    for calculated in results:
        target = guard.target(calculated)
        priced = calculated["invoice"]
        # The fix: a durable POST. The host sends it once; a replay reads its recorded answer.
        post = context.call_http("POST", target.url, content=priced, headers=guard.headers(priced))
        posts.append(post)
    context.set_custom_status(progress("posting", 0, run.count))
    with guard.tolerating_failures():
        for batch in batches(posts, run.max_parallel):
            yield context.task_all(batch)
    yield from guard.retry_failed(posts, run.max_parallel)
    if not context.is_replaying:
        logging.info("fan_out_fan_in %s: posted %d invoices", context.instance_id, run.count)
    return guard.finish()
