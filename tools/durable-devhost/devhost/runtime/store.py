"""Where instances live between episodes: the store interface, and the in-memory store for tests.

A store keeps what DurableTask.AzureStorage keeps in its Instances and History tables and its
control queue: one status row per instance, the history of its current execution, and the
client messages (start, raise event, terminate) not consumed yet. `checkpoint` writes one
episode's outcome at once, as DTFx's `TaskOrchestrationDispatcher` hands it to
`CompleteTaskOrchestrationWorkItemAsync` (new history, new messages and the status together).
The work an episode dispatched needs no table of its own: it is the history's TaskScheduled,
TimerCreated and SubOrchestrationInstanceCreated events that have no result yet
(`outstanding.py`), so a resumed host derives it from the history. `sqlite_store.py` is the
persistent store `python -m devhost serve` uses.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from devhost.replay import history as h
from devhost.replay.instance import InstanceRecord, Message


class StoreError(RuntimeError):
    """The state cannot be used; the message names the file, the cause and what to do."""


class StoreLockedError(StoreError):
    """Another host, or another program, holds the store."""


class StoreWriteError(StoreError):
    """A write failed (disk full, permissions, I/O): nothing of it was stored."""


class StoreDamagedError(StoreError):
    """What the file holds cannot be read (damaged pages, a row that is not JSON)."""


@dataclass(frozen=True)
class Checkpoint:
    """One episode's outcome, to be written atomically."""

    record: InstanceRecord
    history: list[h.Event]  # the current execution's whole history after the episode
    first_new: int  # history[first_new:] is new or changed; 0 replaces the stored history
    consumed: list[int] = field(default_factory=list)  # seqs of the stored messages it consumed


@dataclass(frozen=True)
class Unfinished:
    """An instance to resume: its row, its history and its unconsumed client messages."""

    record: InstanceRecord
    history: list[h.Event]
    messages: list[Message]


class Store(Protocol):
    """What the engine needs from a store; every method is called on the engine's loop.

    Writes raise StoreWriteError (nothing of that write stored), reads of damaged data
    StoreDamagedError: each says, in one line, the file, the cause and the next step.
    """

    def create(self, record: InstanceRecord, message: Message) -> Message:
        """Add or replace an instance with its ExecutionStarted message; the stored message."""
        ...

    def enqueue(self, instance_id: str, message: Message) -> Message:
        """Keep a client message for an instance until a checkpoint consumes it."""
        ...

    def checkpoint(self, checkpoint: Checkpoint) -> None: ...

    def record(self, instance_id: str) -> InstanceRecord | None: ...

    def history(self, instance_id: str) -> list[h.Event]: ...

    def records(self, start: str = "") -> Iterator[InstanceRecord]:
        """Every instance whose id is `start` or after, in id order, read lazily."""
        ...

    def unfinished(self) -> list[Unfinished]: ...

    def purge(self, instance_id: str) -> int:
        """Delete the instance's row, history and messages; how many instances (0 or 1)."""
        ...

    def purge_finished_before(self, moment: datetime) -> int:
        """Purge Completed/Failed/Terminated instances created before `moment`; how many."""
        ...

    def close(self) -> None: ...


class MemoryStore:
    """A store in dictionaries: nothing survives the process (tests, and `--state memory`)."""

    def __init__(self) -> None:
        self._records: dict[str, InstanceRecord] = {}
        self._histories: dict[str, list[h.Event]] = {}
        self._messages: dict[str, dict[int, Message]] = {}
        self._seq = itertools.count(1)

    def create(self, record: InstanceRecord, message: Message) -> Message:
        self.purge(record.id)
        self._records[record.id] = record
        self._histories[record.id] = []
        return self.enqueue(record.id, message)

    def enqueue(self, instance_id: str, message: Message) -> Message:
        stored = Message(message.event, message.execution_id, next(self._seq))
        self._messages.setdefault(instance_id, {})[stored.seq] = stored
        return stored

    def checkpoint(self, checkpoint: Checkpoint) -> None:
        record = checkpoint.record
        self._records[record.id] = record
        self._histories[record.id] = checkpoint.history  # episodes build a new list each time
        messages = self._messages.get(record.id, {})
        for seq in checkpoint.consumed:
            messages.pop(seq, None)

    def record(self, instance_id: str) -> InstanceRecord | None:
        return self._records.get(instance_id)

    def history(self, instance_id: str) -> list[h.Event]:
        return list(self._histories.get(instance_id, ()))

    def records(self, start: str = "") -> Iterator[InstanceRecord]:
        for instance_id in sorted(i for i in self._records if i >= start):
            record = self._records.get(instance_id)  # purged while the caller iterated
            if record is not None:
                yield record

    def unfinished(self) -> list[Unfinished]:
        return [
            Unfinished(r, self.history(r.id), list(self._messages.get(r.id, {}).values()))
            for r in self._records.values()
            if not r.terminal
        ]

    def purge(self, instance_id: str) -> int:
        self._histories.pop(instance_id, None)
        self._messages.pop(instance_id, None)
        return 1 if self._records.pop(instance_id, None) is not None else 0

    def purge_finished_before(self, moment: datetime) -> int:
        old = [r.id for r in self._records.values() if r.terminal and r.created < moment]
        return sum(self.purge(instance_id) for instance_id in old)

    def close(self) -> None:
        pass
