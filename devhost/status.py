"""The Durable HTTP API status JSON, with history filtered as the extension's DurableClient does.

`GetDurableOrchestrationStatusAsync`: EventType as names; OrchestratorStarted/Completed removed;
TaskScheduled (and SubOrchestrationInstanceCreated) merged into its completion as FunctionName
and ScheduledTime and removed; EventId/IsPlayed removed; Result kept only with
showHistoryOutput; ExecutionStarted's Name becomes FunctionName.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from . import history as h


def parse_to_jtoken(value: str | None) -> Any:
    """DurableClient.ParseToJToken: JSON if it parses, else the raw (trimmed) string."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return ""
    try:
        return json.loads(value)
    except ValueError:
        return value


def status_time(moment: datetime) -> str:
    """HttpApiHandler writes `ToString("s") + "Z"`: seconds precision."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "Z"


def filter_history(events: list[h.Event], show_output: bool) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    scheduled: dict[tuple[int, Any], tuple[int, Any, Any]] = {}
    dropped: set[int] = set()
    for index, event in enumerate(events):
        item = dict(event.data)
        t = item["EventType"]
        item["EventType"] = h.EVENT_TYPE_NAMES[t]
        if t == h.TASK_SCHEDULED or t == h.SUB_ORCH_CREATED:
            scheduled[(t, item["EventId"])] = (index, item.get("Name"), item["Timestamp"])
            item.pop("Version", None)
            item.pop("Input", None)
        elif t in (h.TASK_COMPLETED, h.TASK_FAILED, h.SUB_ORCH_COMPLETED, h.SUB_ORCH_FAILED):
            origin = (
                h.TASK_SCHEDULED if t in (h.TASK_COMPLETED, h.TASK_FAILED) else h.SUB_ORCH_CREATED
            )
            found = scheduled.get((origin, item.get("TaskScheduledId")))
            if found is not None:
                item["ScheduledTime"] = found[2]
                item["FunctionName"] = found[1]
                dropped.add(found[0])
            item.pop("TaskScheduledId", None)
            if t == h.TASK_COMPLETED or t == h.SUB_ORCH_COMPLETED:
                if show_output:
                    item["Result"] = parse_to_jtoken(item.get("Result"))
                else:
                    item.pop("Result", None)
        elif t == h.EXECUTION_STARTED:
            name = item.pop("Name", None)
            item["FunctionName"] = name
            for key in ("OrchestrationInstance", "ParentInstance", "Version", "Tags", "Input"):
                item.pop(key, None)
        elif t == h.EXECUTION_COMPLETED:
            item["OrchestrationStatus"] = h.STATUS_NAMES[item["OrchestrationStatus"]]
            if show_output:
                item["Result"] = parse_to_jtoken(item.get("Result"))
            else:
                item.pop("Result", None)
        elif t == h.EXECUTION_TERMINATED or t == h.EVENT_RAISED:
            item.pop("Input", None)
        elif t == h.TIMER_FIRED:
            item.pop("TimerId", None)
        elif t == h.ORCHESTRATOR_STARTED or t == h.ORCHESTRATOR_COMPLETED:
            dropped.add(index)
        item.pop("EventId", None)
        item.pop("IsPlayed", None)
        items.append(item)
    return [item for index, item in enumerate(items) if index not in dropped]


def status_json(
    inst: Any, *, show_history: bool, show_history_output: bool, show_input: bool
) -> dict[str, Any]:
    """The body of GET {rpcBaseUrl}instances/{id}, plus devhost's counters."""
    body: dict[str, Any] = {
        "name": inst.name,
        "instanceId": inst.id,
        "runtimeStatus": h.STATUS_NAMES[inst.status],
        "input": parse_to_jtoken(inst.input_text) if show_input else None,
        "customStatus": inst.custom_status,
        "output": parse_to_jtoken(inst.output_text),
        "createdTime": status_time(inst.created),
        "lastUpdatedTime": status_time(inst.last_updated),
    }
    if show_history and inst.status != h.PENDING:
        body["historyEvents"] = filter_history(inst.history, show_history_output)
    body["devhostCounters"] = inst.live_counters().as_dict()
    return body
