"""A summary of one run for people and tools: no inputs, no keys, no raw history.

Billing figures come from the output: the rows of a completed run, or the report a run that
could not bill every invoice ends with (``contract.BILLING_REPORT_MARKER``). A failed run's
reason is shown with every URL redacted and cut to a few hundred characters.

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

from contract import BILLING_REPORT_MARKER
from redaction import redact_text

_TASK_EVENTS = {"TaskScheduled", "TaskCompleted", "TaskFailed"}
MAX_REASON_CHARS = 500


def _billed(row: Any) -> bool:
    status = row.get("api_status") if isinstance(row, dict) else None
    return isinstance(status, int) and 200 <= status < 300 and "error" not in row


def billing_figures(output: Any) -> dict[str, Any]:
    """``{"billed", "failed", "reason"}``; counts are None when the output does not tell."""
    if isinstance(output, list):
        billed = sum(_billed(row) for row in output)
        return {"billed": billed, "failed": len(output) - billed, "reason": None}
    if not isinstance(output, str):
        return {"billed": None, "failed": None, "reason": None}
    message, _, report_text = output.partition(BILLING_REPORT_MARKER)
    figures: dict[str, Any] = {"billed": None, "failed": None}
    try:
        report = json.loads(report_text) if report_text else None
    except (ValueError, RecursionError):  # a terminate reason is anyone's text, nested or not
        report = None
    if isinstance(report, dict):
        figures = {name: report.get(name) for name in ("billed", "failed")}
    reason = redact_text(message)
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 3] + "..."
    return {**figures, "reason": reason}


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


def run_summary(status: Any, host_counters: Any = None) -> dict[str, Any]:
    """Build the summary from an SDK ``DurableOrchestrationStatus`` and the host's counters."""
    created, updated = status.created_time, status.last_updated_time
    duration = (updated - created).total_seconds() if created and updated else None
    output = status.output
    runtime_status = status.runtime_status
    return {
        "instance_id": status.instance_id,
        "name": status.name,
        "runtime_status": runtime_status.value if runtime_status else None,
        "created_time": created.isoformat() if created else None,
        "last_updated_time": updated.isoformat() if updated else None,
        "duration_seconds": duration,
        "custom_status": status.custom_status,
        "output_bytes": 0 if output is None else len(json.dumps(output).encode()),
        "billing": billing_figures(output),
        "replay": replay_figures(getattr(status, "historyEvents", None), host_counters),
    }
