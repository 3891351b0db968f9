"""The billing guard: what makes the fixes' durable POSTs safe to trust.

The lesson files build each ``context.call_http`` POST and await it themselves; the guard
supplies what a payment API needs around that one call, and nothing else:

- ``target``: the deployment's billing target and limits, checked before the first POST.
- ``headers``: an ``Idempotency-Key`` per (run, invoice), identical on every retry and replay
  and different for another run under the same instance id, so the billing API charges an
  invoice once however often it is sent.
- ``tolerating_failures`` + ``retry_failed``: a POST that failed in transit, or was answered
  408, 429 or 5xx, is sent again (the same request) after a durable timer that doubles each
  time and honours ``Retry-After``, at most ``MAX_BACKOFF``, up to ``max_attempts``.
- A 2xx counts as billed only with a receipt (``invoices.receipt``); any other answer is final.
- ``finish`` and ``@every_invoice_reported``: every invoice ends as a row, and whatever ends
  the run (a POST that was never billed, an activity error) it fails with a row per invoice.

A run without failures makes no extra yield and no timer: its episode count is the lesson's
(2N+1 for the loop, 3 for the fan-out).
"""

from __future__ import annotations

import contextlib
import functools
import json
import weakref
from collections.abc import Generator, Iterator
from datetime import timedelta
from typing import Any

import azure.durable_functions as df
from azure.durable_functions.models.Task import TaskBase, TaskState

from contract import BILLING_REPORT_MARKER, IDEMPOTENCY_KEY_HEADER
from invoices.generator import invoice_id
from invoices.receipt import answer_settles, receipt_error
from orchestrators.batches import settle
from orchestrators.invoice_run import (
    BillingTarget,
    InvoicePostError,
    Orchestrator,
    RunInput,
    RunRefused,
    billing_headers,
    ends_with_final_phase,
    progress,
    result_row,
)
from orchestrators.retry_after import retry_after
from redaction import redact_text

TRANSIENT_STATUSES = frozenset({408, 429})
RETRY_AFTER_STATUSES = frozenset({429, 503})  # RFC 9110 §10.2.3: where Retry-After is meant
MAX_BACKOFF = timedelta(minutes=5)  # the doubling stops here, and so does a Retry-After

# The guard of each running orchestration, for @every_invoice_reported; the decorator removes
# it when the episode's generator ends or is closed.
_GUARDS: weakref.WeakKeyDictionary[Any, BillingGuard] = weakref.WeakKeyDictionary()


class UnbilledInvoicesError(RuntimeError):
    """Some invoices were not billed; the message ends with the report of every invoice."""

    def __init__(self, rows: list[dict[str, Any]], cause: str | None = None) -> None:
        failed = [row for row in rows if "error" in row]
        report = {"billed": len(rows) - len(failed), "failed": len(failed), "rows": rows}
        cause = cause or failed[0]["error"]
        unsettled = sum(_unsettled(row) for row in failed)
        maybe = (
            f"; {unsettled} of them with no answer or a 5xx/408: they may be charged, reconcile"
            " them"
            if unsettled
            else ""
        )
        super().__init__(
            f"{len(failed)} of {len(rows)} invoices were not billed ({report['billed']} billed"
            f"{maybe}); first: {cause}.{BILLING_REPORT_MARKER}{json.dumps(report)}"
        )


def _unsettled(row: dict[str, Any]) -> bool:
    """A POST whose last answer does not say it was not charged (``/api/runs`` counts it
    ``unknown``, from history); an invoice never sent is not one."""
    return not answer_settles(row["api_status"]) and not row["error"].startswith("not sent")


class BillingGuard:
    """Keys, retries, receipts and the report for one run of a fix (one per episode)."""

    def __init__(self, context: df.DurableOrchestrationContext, run: RunInput) -> None:
        self._context = context
        self._run = run
        # Fixed at the run's first episode (new_uuid hashes the instance id, the episode's
        # recorded start time and a counter), so replays and restarts get the same value and
        # a new run under the same instance id gets another.
        self._run_key = context.new_uuid()
        self._target: BillingTarget | None = None
        self._rows: dict[str, dict[str, Any]] = {}  # invoice id -> row, as first settled
        _GUARDS[context] = self

    @property
    def settled(self) -> int:
        """How many invoices have an answer (billed or not) so far."""
        return len(self._rows)

    def target(self, calculated: dict[str, Any]) -> BillingTarget:
        """The target a ``calculate_invoice`` result carries; the first one admits the run."""
        self._target = BillingTarget.for_run(
            self._run, calculated, admitted=self._target is not None
        )
        return self._target

    def headers(self, invoice: dict[str, Any]) -> dict[str, str]:
        """The headers of the billing POST of ``invoice``, its ``Idempotency-Key`` included.

        ``content`` is a dict, so the SDK JSON-encodes it once; Content-Type must be set or the
        host sends ``text/plain``.
        """
        key = f"{self._run_key}:{invoice['invoice_id']}"
        return {**billing_headers(self._context), IDEMPOTENCY_KEY_HEADER: key}

    @contextlib.contextmanager
    def tolerating_failures(self) -> Iterator[None]:
        """Await POSTs inside this block: a POST that failed does not end the run here, because
        ``retry_failed`` reads each task's own state and retries it."""
        with contextlib.suppress(Exception):
            yield

    def retry_failed(
        self, posts: list[TaskBase], max_parallel: int | None = None
    ) -> Generator[Any, Any, None]:
        """Wait for every POST, then send the failed ones again until billed or final.

        Each retry is the same request (same body, same key), after a durable timer.
        """
        yield from settle(self._context, posts, max_parallel)
        for attempt in range(1, self._attempts() + 1):
            waits = [self._record(post) for post in posts]
            again = [post for post, wait in zip(posts, waits, strict=True) if wait is not None]
            if not again or attempt == self._attempts():
                return
            delay = max(self._backoff(attempt), *(wait for wait in waits if wait is not None))
            yield self._context.create_timer(
                self._context.current_utc_datetime + min(delay, MAX_BACKOFF)
            )
            posts = [self._again(post) for post in again]
            yield from settle(self._context, posts, max_parallel)

    def finish(self) -> list[dict[str, Any]]:
        """The output when every invoice was billed; otherwise fail the run with the report."""
        rows = list(self._rows.values())
        failed = sum("error" in row for row in rows)
        self._set_status(rows)
        if failed:
            raise UnbilledInvoicesError(rows)
        return rows

    def stopped(self, error: Exception) -> UnbilledInvoicesError:
        """The report of a run that ``error`` ended: a row for every invoice of the run. The
        first invoice without an answer carries the error; the rest were never sent."""
        lines = str(error).strip().splitlines()
        cause = f"the run stopped: {' '.join(lines[0].split()) if lines else type(error).__name__}"
        cause = redact_text(cause)
        rows = list(self._rows.values())
        unsent = [invoice_id(i) for i in range(self._run.count) if invoice_id(i) not in self._rows]
        for position, invoice in enumerate(unsent):
            reason = cause if position == 0 else "the run stopped before it"
            rows.append(_unsent_row(invoice, reason))
        self._set_status(rows)
        return UnbilledInvoicesError(rows, cause)

    # -- the rules ------------------------------------------------------------------------
    def _attempts(self) -> int:
        return self._target.max_attempts if self._target else 1

    def _backoff(self, attempt: int) -> timedelta:
        interval_ms = self._target.retry_interval_ms if self._target else 0
        return min(timedelta(milliseconds=interval_ms * 2 ** min(attempt - 1, 30)), MAX_BACKOFF)

    def _record(self, post: TaskBase) -> timedelta | None:
        """Record the row of a settled POST; the wait it asks for when it is to be retried."""
        request = post.action_repr.http_request
        invoice = json.loads(request.content)
        if post.state is TaskState.FAILED:
            error = InvoicePostError(invoice["invoice_id"], request.uri, post.result)
            self._rows[invoice["invoice_id"]] = {**result_row(invoice, None), "error": str(error)}
            return timedelta(0)
        status = int(post.result["statusCode"])
        row = result_row(invoice, status)
        error = receipt_error(invoice["invoice_id"], status, post.result.get("content"))
        self._rows[invoice["invoice_id"]] = {**row, "error": error} if error else row
        if error is None or not (status in TRANSIENT_STATUSES or status >= 500):
            return None
        if status in RETRY_AFTER_STATUSES:
            now = self._context.current_utc_datetime
            return retry_after(post.result.get("headers"), now) or timedelta(0)
        return timedelta(0)

    def _again(self, post: TaskBase) -> TaskBase:
        """The same request again: the one the SDK recorded for ``post`` (its ``action_repr``
        is the ``CallHttpAction`` that ``call_http`` built), content sent as it was encoded."""
        request = post.action_repr.http_request
        return self._context.call_http(
            request.method,
            request.uri,
            content=request.content,
            headers=request.headers,
            is_raw_str=True,
        )

    def _set_status(self, rows: list[dict[str, Any]]) -> None:
        """Billed, failed and (when any) unknown, counted as ``/api/runs`` counts them."""
        not_billed = [row for row in rows if "error" in row]
        unknown = sum(_unsettled(row) for row in not_billed)
        status = progress("posting", len(rows), self._run.count)
        counts = {"billed": len(rows) - len(not_billed), "failed": len(not_billed) - unknown}
        self._context.set_custom_status(
            {**status, **counts, **({"unknown": unknown} if unknown else {})}
        )


def _unsent_row(invoice: str, cause: str) -> dict[str, Any]:
    return {
        "invoice_id": invoice,
        "total": None,
        "currency": None,
        "api_status": None,
        "error": f"not sent: {cause}",
    }


def every_invoice_reported(orchestrator: Orchestrator) -> Orchestrator:
    """Decorate a fix so that whatever ends the run, it ends with a row per invoice.

    An activity error, or anything else raised once the run's ``BillingGuard`` exists, fails
    the run with the report of what was billed before it and what was not (the POST failures'
    report). A refusal before any POST keeps its own message ("Nothing was billed."). The
    custom status ends as ``completed`` or ``failed``.
    """

    @ends_with_final_phase
    @functools.wraps(orchestrator)
    def run(context: df.DurableOrchestrationContext) -> Generator[Any, Any, Any]:
        try:
            return (yield from orchestrator(context))
        except UnbilledInvoicesError:
            raise
        except Exception as exc:
            guard = _GUARDS.get(context)
            if guard is None or (isinstance(exc, RunRefused) and not guard.settled):
                raise
            raise guard.stopped(exc) from None
        finally:  # the guard holds its context: a weak key alone would never let it go
            _GUARDS.pop(context, None)

    return run
