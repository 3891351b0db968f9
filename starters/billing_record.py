"""What a run charged, counted from what its history recorded of the durable billing POSTs.

The only record that cannot be forged by output or reason text is history: each
``context.call_http`` is a task named ``BuiltIn::HttpActivity`` whose request (the
TaskScheduled Input, merged into its completion) carries the invoice, and whose TaskCompleted
Result is the billing API's answer. The status API shows both with ``showInput`` and
``showHistoryOutput`` (Azure/azure-functions-durable-extension, DurableClient.cs,
``GetDurableOrchestrationStatusAsync``). Per invoice, over all its attempts:

- **billed**: some attempt got a receipt (``invoices.receipt.receipt_error`` is None);
- **unknown**: none did, and its last attempt got no answer that settles it: in flight when the
  run was terminated or failed (the platform drops such answers), failed in transit (a reset or
  a timeout can come after the billing API charged), or answered 5xx or 408 (the server did not
  say whether it charged, as payment APIs document a 5xx). Reconcile these with the billing
  API's ledger; they may have been charged;
- **failed**: none did, and its last attempt was refused in a way that says nothing was charged
  (a 4xx but 408, or a 2xx without a receipt; an answer to the same ``Idempotency-Key`` replays
  a charge made by an earlier attempt, so it settles those too).

An invoice never POSTed is in none of them. The anti-pattern's raw POSTs are not durable
actions, so its history says nothing of them: its figures are None, with a note.
"""

from __future__ import annotations

import json
from typing import Any

from azure.durable_functions.constants import HTTP_ACTION_NAME

from contract import RAW_HTTP_LOOP
from invoices.receipt import answer_settles, receipt_error

OUTCOMES = ("billed", "failed", "unknown")
RAW_NOTE = (
    "raw_http_loop posts with requests.post: its POSTs are not durable actions and history does"
    " not record them; only the billing API's ledger knows what was charged"
)


def _parsed(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return None


def posted_invoice_id(event: dict[str, Any]) -> str | None:
    """The invoice id a recorded POST carried: TaskScheduled Input is ``[request]`` and the
    request's ``content`` is the invoice's JSON text. None for anything else."""
    request = _parsed(event.get("Input"))
    if isinstance(request, list) and len(request) == 1:
        request = request[0]
    if not isinstance(request, dict) or str(request.get("method", "")).upper() != "POST":
        return None
    invoice = _parsed(request.get("content"))
    invoice_id = invoice.get("invoice_id") if isinstance(invoice, dict) else None
    return invoice_id if isinstance(invoice_id, str) else None


def _answer(event: dict[str, Any]) -> tuple[int, Any] | None:
    """(status, content) of a recorded answer; None for a transport error or no answer."""
    if event.get("EventType") != "TaskCompleted":
        return None  # TaskFailed: a transport error, no answer to count
    response = _parsed(event.get("Result"))
    status = response.get("statusCode") if isinstance(response, dict) else None
    if not isinstance(status, int) or isinstance(status, bool):
        return None
    return status, response.get("content")


def _http_event(event: dict[str, Any]) -> bool:
    kind = event.get("EventType")
    if kind == "TaskScheduled":  # still waiting: the extension merges it away once answered
        return event.get("Name") == HTTP_ACTION_NAME
    return kind in ("TaskCompleted", "TaskFailed") and event.get("FunctionName") == HTTP_ACTION_NAME


def billing_from_history(
    name: str | None, history: list[dict[str, Any]] | None, unread: str = "no history"
) -> dict[str, Any]:
    """``{"billed", "failed", "unknown", "invoice_ids": {outcome: [ids]}, "note"}``.

    Counts are None when history cannot tell: the anti-pattern, or no ``history`` (``unread``
    says why).
    """
    if name == RAW_HTTP_LOOP:
        return _unknowable(RAW_NOTE)
    if history is None:
        return _unknowable(unread)
    billed: set[str] = set()
    last_answered: dict[str, bool] = {}  # invoice id -> whether its last answer settles it
    unreadable = 0
    for event in history:
        if not _http_event(event):
            continue
        invoice_id = posted_invoice_id(event)
        if invoice_id is None:
            unreadable += 1
            continue
        # TaskScheduled: still in flight; TaskFailed: failed in transit, its answer lost.
        answer = _answer(event)
        last_answered[invoice_id] = answer is not None and answer_settles(answer[0])
        if answer is not None and receipt_error(invoice_id, *answer) is None:
            billed.add(invoice_id)
    ids = {
        "billed": sorted(billed),
        "failed": sorted(i for i, answer in last_answered.items() if answer and i not in billed),
        "unknown": sorted(
            i for i, answer in last_answered.items() if not answer and i not in billed
        ),
    }
    figures: dict[str, Any] = {outcome: len(ids[outcome]) for outcome in OUTCOMES}
    note = None
    if unreadable:
        note = f"{unreadable} durable HTTP calls carried no invoice (not a POST of an invoice)"
    return {**figures, "invoice_ids": ids, "note": note}


def _unknowable(note: str) -> dict[str, Any]:
    return {**dict.fromkeys(OUTCOMES), "invoice_ids": None, "note": note}
