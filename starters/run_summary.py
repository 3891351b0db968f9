"""A summary of one run for people and tools: no inputs, no keys, no raw history.

The replay figures come from the history the status API returns. That history drops the
OrchestratorStarted events, so the real host does not reveal episodes; a host that reports
its own counters (the embedded host adds ``devhostCounters``) fills them in, and the side
effects of orchestrator code that the embedded host's ``--strict`` found, when there are any.
"""

from __future__ import annotations

import json
from typing import Any

from azure.durable_functions.constants import HTTP_ACTION_NAME

_TASK_EVENTS = {"TaskScheduled", "TaskCompleted", "TaskFailed"}


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
    }
    if counters.get("strict_findings"):  # the embedded host's --strict found side effects
        figures["strict_findings"] = counters["strict_findings"]
    return figures


def run_summary(status: Any) -> dict[str, Any]:
    """Build the summary from an SDK ``DurableOrchestrationStatus``."""
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
        "replay": replay_figures(
            getattr(status, "historyEvents", None), getattr(status, "devhostCounters", None)
        ),
    }
