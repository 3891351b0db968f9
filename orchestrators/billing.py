"""Billing through ``context.call_http`` as a team can trust it (the two fixes share this).

- Every POST carries an ``Idempotency-Key`` unique per (run, invoice) and identical on every
  retry, so the billing API charges an invoice once however often it is sent.
- Transient failures (transport error, 408, 429, 5xx) are retried after a durable timer that
  doubles each time (at most ``MAX_BACKOFF``), up to ``max_attempts``; only the invoices
  that failed are sent again.
  Other answers are final: 2xx is billed, any other 4xx is not retried.
- Every invoice ends as a row: billed, or with its last status and error. ``finish`` returns
  the rows, or fails the run with a report of every row when any invoice was not billed.

A run without failures makes one ``task_all`` per batch and no timer: its episode count is the
lesson's (2N+1 for the loop, 3 for the fan-out).
"""

from __future__ import annotations

import json
from collections.abc import Generator
from datetime import timedelta
from typing import Any

import azure.durable_functions as df
from azure.durable_functions.models.Task import TaskBase, TaskState

from contract import BILLING_REPORT_MARKER, IDEMPOTENCY_KEY_HEADER, RUN_ID_HEADER
from orchestrators.batches import settle
from orchestrators.invoice_run import BillingTarget, InvoicePostError, RunInput, progress

TRANSIENT_STATUSES = frozenset({408, 429})
MAX_BACKOFF = timedelta(minutes=5)  # the doubling stops here


def billing_headers(context: df.DurableOrchestrationContext) -> dict[str, str]:
    """Headers of every billing POST; the run id lets the billing API count per run."""
    return {"Content-Type": "application/json", RUN_ID_HEADER: context.instance_id}


def idempotency_key(context: df.DurableOrchestrationContext, invoice_id: str) -> str:
    """The same for every attempt at one invoice in one run, different for anything else."""
    return f"{context.instance_id}:{invoice_id}"


def result_row(invoice: dict[str, Any], api_status: int | None) -> dict[str, Any]:
    """One output row per invoice."""
    return {
        "invoice_id": invoice["invoice_id"],
        "total": invoice["total"],
        "currency": invoice["currency"],
        "api_status": api_status,
    }


def _post(
    context: df.DurableOrchestrationContext, target: BillingTarget, invoice: dict[str, Any]
) -> TaskBase:
    """A durable POST: ``content`` is a dict, so the SDK JSON-encodes it once; Content-Type
    must be set or the host sends ``text/plain``."""
    headers = billing_headers(context)
    headers[IDEMPOTENCY_KEY_HEADER] = idempotency_key(context, invoice["invoice_id"])
    return context.call_http("POST", target.url, content=invoice, headers=headers)


def _outcome(
    task: TaskBase, target: BillingTarget, invoice: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """(row, transient) for one settled POST."""
    if task.state is TaskState.FAILED:
        error = InvoicePostError(invoice["invoice_id"], target.url, task.result)
        return {**result_row(invoice, None), "error": str(error)}, True
    status = int(task.result["statusCode"])
    if 200 <= status < 300:
        return result_row(invoice, status), False
    error = f"the billing API answered {status} for invoice {invoice['invoice_id']}"
    transient = status in TRANSIENT_STATUSES or status >= 500
    return {**result_row(invoice, status), "error": error}, transient


def bill(
    context: df.DurableOrchestrationContext,
    run: RunInput,
    calculated: list[dict[str, Any]],
    *,
    admitted: bool = False,
) -> Generator[Any, Any, list[dict[str, Any]]]:
    """POST each calculated invoice, retrying transient failures; a row each, in order.

    ``admitted``: this run already passed the deployment's checks (``BillingTarget.for_run``).
    """
    if not calculated:
        return []
    target = BillingTarget.for_run(run, calculated[0], admitted=admitted)
    invoices = [item["invoice"] for item in calculated]
    rows: list[dict[str, Any]] = [{} for _ in invoices]
    todo = list(range(len(invoices)))
    for attempt in range(1, target.max_attempts + 1):
        tasks = [_post(context, target, invoices[i]) for i in todo]
        yield from settle(context, tasks, run.max_parallel)
        again = []
        for i, task in zip(todo, tasks, strict=True):
            rows[i], transient = _outcome(task, target, invoices[i])
            if transient:
                again.append(i)
        todo = again
        if not todo or attempt == target.max_attempts:
            break
        delay_ms = target.retry_interval_ms * 2 ** min(attempt - 1, 30)
        delay = min(timedelta(milliseconds=delay_ms), MAX_BACKOFF)
        yield context.create_timer(context.current_utc_datetime + delay)
    return rows


class UnbilledInvoicesError(RuntimeError):
    """Some invoices were not billed; the message ends with the report of every invoice."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        failed = [row for row in rows if "error" in row]
        report = {"billed": len(rows) - len(failed), "failed": len(failed), "rows": rows}
        super().__init__(
            f"{len(failed)} of {len(rows)} invoices were not billed ({report['billed']} billed);"
            f" first: {failed[0]['error']}.{BILLING_REPORT_MARKER}{json.dumps(report)}"
        )


def finish(
    context: df.DurableOrchestrationContext, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The output when every invoice was billed; otherwise fail the run with the report."""
    failed = sum("error" in row for row in rows)
    if failed:
        status = progress("failed", len(rows), len(rows))
        context.set_custom_status({**status, "billed": len(rows) - failed, "failed": failed})
        raise UnbilledInvoicesError(rows)
    return rows
