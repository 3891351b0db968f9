"""Fix 2: fan-out/fan-in. Schedule every task, then wait once with ``task_all``.

All N ``calculate_invoice`` activities are scheduled in one episode and awaited together; then
all N POSTs (``call_http``) likewise. History still records each task once, but the
orchestrator replays only when a whole batch is done:

    replay cost: N durable HTTP calls, 3 episodes (schedule, fan-in + POSTs, finish).

``max_parallel`` (optional input) caps the tasks in flight, at two more episodes per batch.
"""

from __future__ import annotations

import logging

import azure.durable_functions as df

from contract import CALCULATE_INVOICE
from invoices import fake_invoice
from orchestrators.batches import task_all
from orchestrators.billing import bill, finish
from orchestrators.invoice_run import RunInput, progress

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def fan_out_fan_in(context: df.DurableOrchestrationContext):
    """Calculate every invoice in parallel, then POST every result in parallel."""
    run = RunInput.from_context(context)
    context.set_custom_status(progress("calculating", 0, run.count))
    # Fan out: create every task, then wait once for all of them.
    tasks = [
        context.call_activity(CALCULATE_INVOICE, fake_invoice(run.seed, i))
        for i in range(run.count)
    ]
    calculated = yield from task_all(context, tasks, run.max_parallel)
    context.set_custom_status(progress("posting", 0, run.count))
    rows = yield from bill(context, run, calculated)
    context.set_custom_status(progress("posting", run.count, run.count))
    if not context.is_replaying:
        logging.info("fan_out_fan_in %s: posted %d invoices", context.instance_id, run.count)
    return finish(context, rows)
