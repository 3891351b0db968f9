"""The Durable HTTP API status JSON, with history filtered as the extension's DurableClient does.

`GetDurableOrchestrationStatusAsync`: EventType as names; OrchestratorStarted/Completed removed;
TaskScheduled (and SubOrchestrationInstanceCreated) merged into its completion as FunctionName,
ScheduledTime and (with showInput) Input, and removed; EventId/IsPlayed removed; Result kept
only with showHistoryOutput; Input kept only with showInput; ExecutionStarted's Name becomes
FunctionName.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from devhost.replay import history as h
from devhost.replay.history import EventType as E
from devhost.replay.instance import InstanceRecord


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


def filter_history(
    events: list[h.Event], show_output: bool, show_input: bool = True
) -> list[dict[str, Any]]:
    """`DurableClient.GetDurableOrchestrationStatusAsync` (Azure/azure-functions-durable-extension,
    ContextImplementations/DurableClient.cs) applied to the raw history.

    With `show_input`, Input stays on every event that has one (ExecutionStarted, EventRaised,
    ExecutionTerminated, a TaskScheduled still waiting) and each completion gets the Input of
    the TaskScheduled/SubOrchestrationInstanceCreated merged into it
    (`AddScheduledEventDataAndAggregate`); without it, Input is removed from every event.
    """
    items: list[dict[str, Any]] = []
    scheduled: dict[tuple[int, Any], tuple[int, Any, Any, Any]] = {}
    dropped: set[int] = set()
    for index, event in enumerate(events):
        item = dict(event.data)
        t = item["EventType"]
        item["EventType"] = h.event_type_name(t)
        if t == E.TASK_SCHEDULED or t == E.SUB_ORCHESTRATION_INSTANCE_CREATED:
            key = (t, item["EventId"])
            scheduled[key] = (index, item.get("Name"), item["Timestamp"], item.get("Input"))
            item.pop("Version", None)
        elif t in (
            E.TASK_COMPLETED,
            E.TASK_FAILED,
            E.SUB_ORCHESTRATION_INSTANCE_COMPLETED,
            E.SUB_ORCHESTRATION_INSTANCE_FAILED,
        ):
            origin = (
                E.TASK_SCHEDULED
                if t in (E.TASK_COMPLETED, E.TASK_FAILED)
                else E.SUB_ORCHESTRATION_INSTANCE_CREATED
            )
            found = scheduled.get((origin, item.get("TaskScheduledId")))
            if found is not None:
                item["ScheduledTime"] = found[2]
                item["FunctionName"] = found[1]
                if show_input:
                    item["Input"] = found[3]
                dropped.add(found[0])
            item.pop("TaskScheduledId", None)
            if t == E.TASK_COMPLETED or t == E.SUB_ORCHESTRATION_INSTANCE_COMPLETED:
                if show_output:
                    item["Result"] = parse_to_jtoken(item.get("Result"))
                else:
                    item.pop("Result", None)
        elif t == E.EXECUTION_STARTED:
            name = item.pop("Name", None)
            item["FunctionName"] = name
            for key in ("OrchestrationInstance", "ParentInstance", "Version", "Tags"):
                item.pop(key, None)
        elif t == E.EXECUTION_COMPLETED:
            item["OrchestrationStatus"] = h.STATUS_NAMES[item["OrchestrationStatus"]]
            if show_output:
                item["Result"] = parse_to_jtoken(item.get("Result"))
            else:
                item.pop("Result", None)
        elif t == E.TIMER_FIRED:
            item.pop("TimerId", None)
        elif t == E.ORCHESTRATOR_STARTED or t == E.ORCHESTRATOR_COMPLETED:
            dropped.add(index)
        if not show_input:
            item.pop("Input", None)
        item.pop("EventId", None)
        item.pop("IsPlayed", None)
        items.append(item)
    return [item for index, item in enumerate(items) if index not in dropped]


def status_json(
    record: InstanceRecord,
    history: list[h.Event],
    *,
    show_history: bool,
    show_history_output: bool,
    show_input: bool,
) -> dict[str, Any]:
    """The body of GET {rpcBaseUrl}instances/{id}: the extension's eight fields (and the
    history when asked), nothing of devhost's own (its counters have their own route)."""
    body: dict[str, Any] = {
        "name": record.name,
        "instanceId": record.id,
        "runtimeStatus": h.STATUS_NAMES[record.status],
        "input": parse_to_jtoken(record.input_text) if show_input else None,
        "customStatus": record.custom_status,
        "output": parse_to_jtoken(record.output_text),
        "createdTime": status_time(record.created),
        "lastUpdatedTime": status_time(record.last_updated),
    }
    if show_history and record.status != h.PENDING:
        body["historyEvents"] = filter_history(history, show_history_output, show_input)
    return body
