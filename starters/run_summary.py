"""A summary of one run for people and tools: no inputs, no keys, no raw history.

Billing figures are counted from the durable HTTP actions and answers in the run's history
(``starters.billing_record``), whatever ended the run: never parsed from output or reason
text, which a terminate reason can forge. A failed or terminated run's reason is shown, as
text only, with every URL redacted and cut to a few hundred characters.

The replay figures come from the history the status API returns. That history drops the
OrchestratorStarted events, so the real host does not reveal episodes; a host that reports
its own counters (the embedded host, on its own route ``contract.DEVHOST_COUNTERS_PATH``)
fills them in, and the side effects of orchestrator code that the embedded host's ``--strict``
found, when there are any.
"""

from __future__ import annotations

import json
from typing import Any

from azure.durable_functions.constants import HTTP_ACTION_NAME

from redaction import redact_text
from starters.billing_record import billing_from_history

_TASK_EVENTS = {"TaskScheduled", "TaskCompleted", "TaskFailed"}
MAX_REASON_CHARS = 500


def reason_text(output: Any) -> str | None:
    """A failed run's message or a terminated run's reason, as text to show, never to parse."""
    if not isinstance(output, str):
        return None
    reason = redact_text(output)
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 3] + "..."
    return reason


def history_too_large(run_input: Any, max_count: int) -> str | None:
    """Why the history of a run with this input is not read here, or None to read it."""
    count = run_input.get("count") if isinstance(run_input, dict) else None
    if isinstance(count, int) and count > max_count:
        return (
            f"history not read: the run asked for {count} invoices, above this deployment's"
            f" MAX_INVOICE_COUNT ({max_count}); reconcile it with the billing API's ledger"
        )
    return None


def replay_figures(history: list[dict[str, Any]] | None, host_counters: Any) -> dict[str, Any]:
    """History events, activities and durable HTTP calls; episodes when the host reports them."""
    events = history or []
    activities = http_calls = 0
    for event in events:
        if event.get("EventType") in _TASK_EVENTS:
            name = event.get("FunctionName") or event.get("Name")
            if name == HTTP_ACTION_NAME:
                http_calls += 1
            else:
                activities += 1
    counters = host_counters if isinstance(host_counters, dict) else {}
    figures = {
        "history_events": len(events) if history is not None else None,
        "activities": activities,
        "http_calls": http_calls,
        "episodes": counters.get("episodes"),
        "episode_wall_s": counters.get("episode_wall_s"),
    }
    if counters.get("strict_findings"):  # the embedded host's --strict found side effects
        figures["strict_findings"] = counters["strict_findings"]
    return figures


def run_summary(
    status: Any, host_counters: Any = None, history_note: str | None = None
) -> dict[str, Any]:
    """Build the summary from an SDK ``DurableOrchestrationStatus`` and the host's counters;
    ``history_note`` says why its history was not read, when it was not."""
    created, updated = status.created_time, status.last_updated_time
    duration = (updated - created).total_seconds() if created and updated else None
    output = status.output
    runtime_status = status.runtime_status
    history = None if history_note else getattr(status, "historyEvents", None)
    return {
        "instance_id": status.instance_id,
        "name": status.name,
        "runtime_status": runtime_status.value if runtime_status else None,
        "created_time": created.isoformat() if created else None,
        "last_updated_time": updated.isoformat() if updated else None,
        "duration_seconds": duration,
        "custom_status": status.custom_status,
        "output_bytes": 0 if output is None else len(json.dumps(output).encode()),
        "billing": {
            **billing_from_history(status.name, history, history_note or "no history"),
            "reason": reason_text(output),
        },
        "replay": replay_figures(history, host_counters),
    }
