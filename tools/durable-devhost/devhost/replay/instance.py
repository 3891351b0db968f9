"""What the host knows about one orchestration instance: its stored record and its live state.

`InstanceRecord` is the row a store keeps (the Instances table of DurableTask.AzureStorage);
`Instance` adds what only a running host holds: the current history, the inbox, the work in
flight and the callers waiting for the end. Both are plain data; the driver (`driver.py`,
`episode_state.py`) mutates them.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from devhost.replay import history as h
from devhost.replay.counters import InstanceCounters


@dataclass(slots=True)
class Message:
    """A message for an instance. execution_id None means "whatever execution is current".

    `seq` is the store's key for a message it keeps durably (client messages: start, raise
    event, terminate); the checkpoint that consumes it deletes it. Work results have none:
    after a crash the work runs again (at least once).
    """

    event: h.Event
    execution_id: str | None = None
    seq: int | None = None


@dataclass(slots=True)
class ParentLink:
    instance_id: str
    execution_id: str
    task_id: int


@dataclass(slots=True)
class InstanceRecord:
    """The status row of an instance: everything the status API shows except the history."""

    id: str
    name: str
    execution_id: str
    created: datetime
    last_updated: datetime
    status: int = h.PENDING
    generation: int = 0
    input_text: str | None = None
    output_text: str | None = None
    failure_details: str | None = None
    custom_status: Any = None
    parent: ParentLink | None = None
    counters: InstanceCounters = field(default_factory=InstanceCounters)

    @property
    def terminal(self) -> bool:
        return self.status in h.TERMINAL_STATUSES


class Instance:
    """A record plus the live state of an unfinished instance; all mutation is on the loop."""

    __slots__ = (
        "history",
        "inbox",
        "inflight",
        "record",
        "running",
        "started_at",
        "terminate_pending",
        "waiters",
    )

    def __init__(self, record: InstanceRecord, history: list[h.Event] | None = None) -> None:
        self.record = record
        self.history: list[h.Event] = history or []
        self.inbox: deque[Message] = deque()
        self.inflight = 0  # activities and HTTP calls started whose result is not delivered yet
        self.running = False  # an episode is being driven
        self.terminate_pending = False  # an ExecutionTerminated waits in the inbox
        self.waiters: list[Any] = []  # asyncio futures of callers waiting for the end
        self.started_at = time.perf_counter() - record.counters.wall_seconds

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def terminal(self) -> bool:
        return self.record.terminal

    def wake_waiters(self) -> None:
        """Answer every caller waiting for the end (they then read the status themselves)."""
        for fut in self.waiters:
            if not fut.done():
                fut.set_result(None)
        self.waiters.clear()

    def live_counters(self) -> InstanceCounters:
        """The counters with the wall time so far and the history length filled in."""
        counters = self.record.counters
        if not self.terminal:
            counters.wall_seconds = time.perf_counter() - self.started_at
        counters.history_events = len(self.history)
        return counters
