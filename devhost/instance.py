"""The in-memory state of one orchestration instance, and the context JSON built from it."""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import history as h
from .counters import InstanceCounters


@dataclass(slots=True)
class Message:
    """A message for an instance. execution_id None means "whatever execution is current"."""

    event: h.Event
    execution_id: str | None = None


@dataclass(slots=True)
class ParentLink:
    instance_id: str
    execution_id: str
    task_id: int


class Instance:
    """History, inbox and status of one instance; all mutation happens on the event loop."""

    def __init__(self, instance_id: str, name: str, now: datetime) -> None:
        self.id = instance_id
        self.name = name
        self.execution_id = h.new_guid()
        self.generation = 0
        self.history: list[h.Event] = []
        self.inbox: deque[Message] = deque()
        self.status = h.PENDING
        self.input_text: str | None = None
        self.output_text: str | None = None
        self.failure_details: str | None = None
        self.custom_status: Any = None
        self.created = now
        self.last_updated = now
        self.parent: ParentLink | None = None
        self.counters = InstanceCounters()
        self.inflight = 0  # activities and HTTP calls scheduled but not yet delivered
        self.running = False
        self.terminate_requested = False
        self.http_active = 0
        self.http_busy_since = 0.0
        self.fresh_generation = False
        self.started_at = time.perf_counter()
        self.finished_at: float | None = None
        self.waiters: list[Any] = []

    @property
    def terminal(self) -> bool:
        return self.status in h.TERMINAL_STATUSES

    def live_counters(self) -> InstanceCounters:
        end = self.finished_at if self.finished_at is not None else time.perf_counter()
        self.counters.wall_seconds = end - self.started_at
        self.counters.history_events = len(self.history)
        return self.counters

    def context_json(self, events: list[h.Event]) -> str:
        """The §1.2 orchestration context, built by joining the cached event texts."""
        es = events[1].data
        parent = es["ParentInstance"]
        parent_id = parent["OrchestrationInstance"]["InstanceId"] if parent else None
        raw_input = es["Input"]
        input_value = json.loads(raw_input) if raw_input is not None else None
        return "".join(
            (
                '{"history":[',
                ",".join([e.text for e in events]),
                '],"input":',
                h.dumps(input_value),
                ',"instanceId":',
                h.dumps(self.id),
                ',"isReplaying":',
                "true" if es["IsPlayed"] else "false",
                ',"parentInstanceId":',
                h.dumps(parent_id),
                ',"upperSchemaVersion":1,"upperSchemaVersionNew":2,'
                '"longRunningTimerIntervalDuration":"3.00:00:00",'
                '"maximumShortTimerDuration":"6.00:00:00",'
                '"defaultHttpAsyncRequestSleepTimeMillseconds":30000}',
            )
        )
