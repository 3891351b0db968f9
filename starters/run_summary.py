"""A summary of one run for people and tools: no inputs, no keys, no raw history.

The replay figures come from the history the status API returns. That history drops the
OrchestratorStarted events, so the real host does not reveal episodes; a host that reports
its own counters (the embedded host adds ``devhostCounters``) fills them in.
"""

from __future__ import annotations

import json
from collections import Counter
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
    return {
        "history_events": len(events) if history is not None else None,
        "activities": activities,
        "http_calls": http_calls,
        "episodes": counters.get("episodes"),
        "episode_wall_s": counters.get("episode_wall_s"),
    }


def api_statuses(output: Any) -> dict[str, int]:
    """How many invoices got each HTTP status from the billing API (the output's api_status).

    A non-2xx answer is a value in the output, not a failure, so a summary must show it.
    """
    counts: Counter[str] = Counter()
    for row in output if isinstance(output, list) else []:
        status = row.get("api_status") if isinstance(row, dict) else None
        if isinstance(status, int) and not isinstance(status, bool):
            counts[str(status)] += 1
    return dict(sorted(counts.items()))


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
        "api_statuses": api_statuses(output),
        "replay": replay_figures(
            getattr(status, "historyEvents", None), getattr(status, "devhostCounters", None)
        ),
    }
