"""Fix 2: fan-out/fan-in. Schedule every task, then wait once with ``task_all``.

All N ``calculate_invoice`` activities are scheduled in one episode and awaited together; then
all N POSTs (``call_http``) likewise. History still records each task once, but the
orchestrator replays only when a whole batch is done:

    replay cost: N durable HTTP calls, 3 episodes (schedule, fan-in + POSTs, finish).

``max_parallel`` (optional input) caps the tasks in flight: batches of that size, at the price
of two more episodes per extra batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from typing import Any

import azure.durable_functions as df
from azure.durable_functions.models.Task import TaskBase, TaskState

from invoices import fake_invoice
from orchestrators.invoice_run import (
    ACTIVITY,
    InvoicePostError,
    RunInput,
    post_invoice_task,
    progress,
    result_row,
)

bp = df.Blueprint()


class BatchItemError(Exception):
    """A task of a batch failed; names the item, because ``task_all`` only says *that* it did."""

    def __init__(self, item: Any, error: Exception) -> None:
        super().__init__(str(error))
        self.item = item
        self.error = error


def _in_batches(
    context: df.DurableOrchestrationContext,
    items: list[Any],
    make_task: Callable[[Any], TaskBase],
    batch_size: int,
    report: Callable[[int], None],
) -> Generator[Any, Any, list[Any]]:
    """Fan ``make_task`` out over ``items``, ``batch_size`` at a time, fanning in each batch."""
    results: list[Any] = []
    for start in range(0, len(items), batch_size):
        chunk = items[start : start + batch_size]
        tasks = [make_task(item) for item in chunk]
        try:
            results.extend((yield context.task_all(tasks)))
        except Exception as exc:  # task_all fails on the first failed child
            failed = [
                item for item, t in zip(chunk, tasks, strict=True) if t.state is TaskState.FAILED
            ]
            raise BatchItemError(failed[0] if failed else chunk[0], exc) from None
        report(len(results))
    return results


@bp.orchestration_trigger(context_name="context")
def fan_out_fan_in(context: df.DurableOrchestrationContext):
    """Calculate every invoice in parallel, then POST every result in parallel."""
    run = RunInput.from_context(context)
    batch = run.max_parallel or max(run.count, 1)
    invoices = [fake_invoice(run.seed, index) for index in range(run.count)]
    context.set_custom_status(progress("calculating", 0, run.count))
    try:
        priced = yield from _in_batches(
            context,
            invoices,
            lambda invoice: context.call_activity(ACTIVITY, invoice),
            batch,
            lambda done: context.set_custom_status(progress("calculating", done, run.count)),
        )
    except BatchItemError as failure:
        raise failure.error from None
    context.set_custom_status(progress("posting", 0, run.count))
    try:
        responses = yield from _in_batches(
            context,
            priced,
            lambda p: post_invoice_task(context, run, p),
            batch,
            lambda done: context.set_custom_status(progress("posting", done, run.count)),
        )
    except BatchItemError as failure:
        raise InvoicePostError(failure.item["invoice_id"], run.api_url, failure.error) from None
    if not context.is_replaying:
        logging.info("fan_out_fan_in %s: posted %d invoices", context.instance_id, run.count)
    return [result_row(p, int(r["statusCode"])) for p, r in zip(priced, responses, strict=True)]
