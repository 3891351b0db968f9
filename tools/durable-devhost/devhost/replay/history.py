"""History events in the exact JSON shape the Durable extension sends (spec §1.3).

Each event is kept as a dict plus its cached JSON text, so that building the orchestrator
context for an episode is a string join instead of re-serialising the whole history.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from azure.durable_functions.models.history import HistoryEventType

# The wire's EventType numbers are the SDK's own enum (DTFx `EventType`, spec §1.3).
EventType = HistoryEventType


def event_type_name(event_type: int) -> str:
    """The .NET enum name the HTTP API shows: TASK_SCHEDULED -> "TaskScheduled"."""
    return "".join(word.capitalize() for word in EventType(event_type).name.split("_"))


# DTFx OrchestrationStatus numbers (the SDK has only the names) and the names the HTTP API reports.
STATUS_NAMES = (
    "Running",
    "Completed",
    "ContinuedAsNew",
    "Failed",
    "Canceled",
    "Terminated",
    "Pending",
    "Suspended",
)
RUNNING, COMPLETED, CONTINUED_AS_NEW, FAILED, CANCELED, TERMINATED, PENDING = range(7)
TERMINAL_STATUSES = frozenset({COMPLETED, FAILED, CANCELED, TERMINATED})

_COMPACT = (",", ":")


def dumps(value: Any) -> str:
    """Serialise compactly without ASCII escaping, as Newtonsoft does."""
    return json.dumps(value, separators=_COMPACT, ensure_ascii=False)


def net_timestamp(moment: datetime) -> str:
    """Format a UTC datetime like Newtonsoft: up to 7 fraction digits, zeros trimmed, 'Z'."""
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{moment.microsecond:06d}".rstrip("0")
    return f"{base}.{fraction}Z" if fraction else f"{base}Z"


def parse_timestamp(text: str) -> datetime:
    """The datetime of a history or action timestamp ("...Z"); the inverse of net_timestamp."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def new_guid() -> str:
    """A .NET Guid.ToString("N"): 32 lowercase hex digits."""
    return uuid.uuid4().hex


class Event:
    """One history event: its dict (the §1.3 shape) and the cached JSON text of it."""

    __slots__ = ("data", "text")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.text = dumps(data)

    @classmethod
    def loads(cls, text: str) -> Event:
        """An event read back from its stored JSON text."""
        event = cls.__new__(cls)
        event.data, event.text = json.loads(text), text
        return event

    def mark_played(self) -> None:
        """Persist IsPlayed=true, as DTFx does for every processed event but OrchestratorStarted."""
        if not self.data["IsPlayed"]:
            self.data["IsPlayed"] = True
            self.text = dumps(self.data)


def _base(event_type: EventType, ts: str, event_id: int = -1) -> dict[str, Any]:
    return {"EventId": event_id, "IsPlayed": False, "Timestamp": ts, "EventType": int(event_type)}


def orchestrator_started(ts: str) -> Event:
    return Event(_base(EventType.ORCHESTRATOR_STARTED, ts))


def orchestrator_completed(ts: str) -> Event:
    return Event(_base(EventType.ORCHESTRATOR_COMPLETED, ts))


def execution_started(
    ts: str,
    instance_id: str,
    execution_id: str,
    name: str,
    input_: str | None,
    parent: dict[str, Any] | None = None,
    generation: int = 0,
) -> Event:
    data = {"OrchestrationInstance": {"InstanceId": instance_id, "ExecutionId": execution_id}}
    data.update(_base(EventType.EXECUTION_STARTED, ts))
    data.update(
        ParentInstance=parent,
        Name=name,
        Version="",
        Input=input_,
        Tags=None,
        Correlation=None,
        ScheduledStartTime=None,
        Generation=generation,
    )
    return Event(data)


def parent_instance(
    name: str, instance_id: str, execution_id: str, task_schedule_id: int
) -> dict[str, Any]:
    """ExecutionStarted.ParentInstance of a sub-orchestration: who waits for it, and as what."""
    return {
        "Name": name,
        "Version": "",
        "OrchestrationInstance": {"InstanceId": instance_id, "ExecutionId": execution_id},
        "TaskScheduleId": task_schedule_id,
    }


def execution_completed(event_id: int, ts: str, status: int, result: str | None) -> Event:
    data = _base(EventType.EXECUTION_COMPLETED, ts, event_id)
    data.update(OrchestrationStatus=status, Result=result, FailureDetails=None)
    return Event(data)


def continue_as_new(event_id: int, ts: str, new_input: str | None) -> Event:
    data = _base(EventType.CONTINUE_AS_NEW, ts, event_id)
    data.update(OrchestrationStatus=CONTINUED_AS_NEW, Result=new_input, FailureDetails=None)
    return Event(data)


def execution_terminated(ts: str, reason: str | None) -> Event:
    data = _base(EventType.EXECUTION_TERMINATED, ts)
    data["Input"] = reason
    return Event(data)


def task_scheduled(event_id: int, ts: str, name: str, input_: str | None) -> Event:
    data = _base(EventType.TASK_SCHEDULED, ts, event_id)
    data.update(Name=name, Version="", Input=input_, Tags=None)
    return Event(data)


def http_scheduled_input(request: dict[str, Any]) -> str:
    """TaskScheduled.Input of BuiltIn::HttpActivity: a one-element array with the request."""
    shown = dict(request)
    shown.setdefault("asynchronousPatternEnabled", False)
    return dumps([shown])


def task_completed(ts: str, scheduled_id: int, result: str | None) -> Event:
    data = _base(EventType.TASK_COMPLETED, ts)
    data.update(TaskScheduledId=scheduled_id, Result=result)
    return Event(data)


def task_failed(ts: str, scheduled_id: int, reason: str, details: str | None) -> Event:
    data = _base(EventType.TASK_FAILED, ts)
    data.update(TaskScheduledId=scheduled_id, Reason=reason, Details=details, FailureDetails=None)
    return Event(data)


def sub_orch_created(event_id: int, ts: str, name: str, instance_id: str, input_: str) -> Event:
    data = _base(EventType.SUB_ORCHESTRATION_INSTANCE_CREATED, ts, event_id)
    data.update(Name=name, Version="", InstanceId=instance_id, Input=input_)
    return Event(data)


def sub_orch_completed(ts: str, scheduled_id: int, result: str | None) -> Event:
    data = _base(EventType.SUB_ORCHESTRATION_INSTANCE_COMPLETED, ts)
    data.update(TaskScheduledId=scheduled_id, Result=result)
    return Event(data)


def sub_orch_failed(ts: str, scheduled_id: int, reason: str | None, details: str | None) -> Event:
    data = _base(EventType.SUB_ORCHESTRATION_INSTANCE_FAILED, ts)
    data.update(TaskScheduledId=scheduled_id, Reason=reason, Details=details, FailureDetails=None)
    return Event(data)


def sub_orch_finished(
    ts: str, scheduled_id: int, status: int, result: str | None, details: str | None
) -> Event:
    """What a finished child sends its parent: Completed, else Failed (a Terminated child too,
    its reason as Reason and no Details, as DTFx sends it)."""
    if status == COMPLETED:
        return sub_orch_completed(ts, scheduled_id, result)
    return sub_orch_failed(ts, scheduled_id, result, details)


def timer_created(event_id: int, ts: str, fire_at: str) -> Event:
    data = _base(EventType.TIMER_CREATED, ts, event_id)
    data["FireAt"] = fire_at
    return Event(data)


def timer_fired(ts: str, timer_id: int, fire_at: str) -> Event:
    data = _base(EventType.TIMER_FIRED, ts)
    data.update(TimerId=timer_id, FireAt=fire_at)
    return Event(data)


def event_raised(ts: str, name: str, input_: str | None) -> Event:
    data = _base(EventType.EVENT_RAISED, ts)
    data.update(Name=name, Input=input_)
    return Event(data)
