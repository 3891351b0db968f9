"""The work a stored history still waits for: what a resumed host dispatches again.

DTFx writes an episode's new messages (TaskScheduled to the work-item queue, TimerFired to
itself, ExecutionStarted to a child) in the same checkpoint as its history, and a message not yet
answered is delivered again after a crash (DurableTask.AzureStorage: queue messages become
visible again when their lease runs out). devhost gets the same at-least-once delivery by
reading the history: every scheduling event without its result is work to start again.
"""

from __future__ import annotations

import json

from azure.durable_functions.constants import HTTP_ACTION_NAME

from devhost.replay import history as h
from devhost.replay.history import EventType
from devhost.replay.shim import Decision

_RESULTS = {
    EventType.TASK_COMPLETED: "TaskScheduledId",
    EventType.TASK_FAILED: "TaskScheduledId",
    EventType.SUB_ORCHESTRATION_INSTANCE_COMPLETED: "TaskScheduledId",
    EventType.SUB_ORCHESTRATION_INSTANCE_FAILED: "TaskScheduledId",
    EventType.TIMER_FIRED: "TimerId",
}


def outstanding_decisions(history: list[h.Event]) -> list[Decision]:
    """The decisions of `history` whose result event is not in it, in scheduling order."""
    answered = {
        event.data[key]
        for event in history
        if (key := _RESULTS.get(event.data["EventType"])) is not None
    }
    decisions = []
    for event in history:
        d = event.data
        if d["EventId"] in answered:
            continue
        t = d["EventType"]
        if t == EventType.TASK_SCHEDULED:
            scheduled = json.loads(d["Input"])[0]
            if d["Name"] == HTTP_ACTION_NAME:
                decisions.append(Decision(d["EventId"], "task", d["Name"], http_request=scheduled))
            else:
                decisions.append(Decision(d["EventId"], "task", d["Name"], scheduled))
        elif t == EventType.TIMER_CREATED:
            fire_at = h.parse_timestamp(d["FireAt"])
            decisions.append(Decision(d["EventId"], "timer", fire_at=fire_at))
        elif t == EventType.SUB_ORCHESTRATION_INSTANCE_CREATED:
            decisions.append(
                Decision(
                    d["EventId"],
                    "suborch",
                    d["Name"],
                    json.loads(d["Input"]),
                    instance_id=d["InstanceId"],
                )
            )
    return decisions
