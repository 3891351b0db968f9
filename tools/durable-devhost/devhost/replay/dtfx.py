"""One episode of DTFx replayed over a history: the walk that drives the extension's shim.

Spec §4 and §9.4.

History events drive the replay: ExecutionStarted runs the shim (`shim.py`: the SDK's actions
become sequenced decisions), scheduling events must match a pending decision (the
non-determinism check, worded in `nondeterminism.py`), completions resolve open tasks and run
continuations synchronously, events go to their waiters. The walk is O(events + actions). The
synchronous futures live in `futures.py`, the retry interceptor in `retry.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devhost.replay import history as h
from devhost.replay import nondeterminism as nd
from devhost.replay.history import EventType
from devhost.replay.shim import (
    Completion,
    Decision,
    OrchestratorShim,
    ShimInput,
    UnsupportedActionError,
)


@dataclass
class Outcome:
    decisions: list[Decision]
    completion: Completion | None
    nondeterminism: str | None = None
    unknown: list[tuple[str, str]] = field(default_factory=list)
    unsupported: str | None = None
    faulted: list[str] = field(default_factory=list)  # calls the DF layer refused (no id taken)
    waits: list[str] = field(default_factory=list)  # calls that never reach the SDK
    carried: list[h.Event] = field(default_factory=list)  # EventRaised for the next execution


class EpisodeReplay:
    """Replays one episode; create one per episode and call `run` once."""

    def __init__(
        self,
        name: str,
        execution_id: str,
        has_activity: Callable[[str], bool],
        has_orchestrator: Callable[[str], bool],
    ) -> None:
        self.shim = OrchestratorShim(
            name, execution_id, has_activity, has_orchestrator, ShimInput([])
        )
        self.completion: Completion | None = None
        self.carried: list[h.Event] = []
        self._event: h.Event | None = None  # the event being processed

    @property
    def next_id(self) -> int:
        """The next DTFx sequence number: the id a failure's ExecutionCompleted takes."""
        return self.shim.next_id

    def run(self, events: list[h.Event], returned: ShimInput) -> Outcome:
        shim = self.shim
        shim.returned = returned
        try:
            for event in events:
                self._event = event
                self._process(event.data)
        except nd.NonDeterminismError as exc:
            message = str(exc)
            completion = Completion(shim.take_id(), h.FAILED, message, nd.failure_details(message))
            return Outcome(
                [], completion, nondeterminism=message, unknown=shim.unknown, faulted=shim.faulted
            )
        except UnsupportedActionError as exc:
            return Outcome(
                [], None, unknown=shim.unknown, unsupported=str(exc), faulted=shim.faulted
            )
        if self.completion is None and not shim.open and shim.finished:
            self.completion = shim.finish()
        carried = (
            self.carried if self.completion and self.completion.status == h.CONTINUED_AS_NEW else []
        )
        return Outcome(
            list(shim.pending.values()),
            self.completion,
            unknown=shim.unknown,
            faulted=shim.faulted,
            waits=shim.waits,
            carried=carried,
        )

    def _process(self, d: dict[str, Any]) -> None:
        handler = self._handlers.get(d["EventType"])
        if handler is not None:
            handler(self, d)

    def _on_orchestrator_started(self, d: dict[str, Any]) -> None:
        self.shim.utc = h.parse_timestamp(d["Timestamp"])

    def _on_completed(self, d: dict[str, Any]) -> None:
        self.shim.resolve(d["TaskScheduledId"], d["Result"])

    def _on_failed(self, d: dict[str, Any]) -> None:
        self.shim.resolve(d["TaskScheduledId"], d["Reason"], failed=True)

    def _on_task_scheduled(self, d: dict[str, Any]) -> None:
        self._match(d, "task", "an activity task")

    def _on_timer_created(self, d: dict[str, Any]) -> None:
        self._match(d, "timer", "a timer task")

    def _on_timer_fired(self, d: dict[str, Any]) -> None:
        self.shim.resolve(d["TimerId"], None)

    def _on_sub_orchestration_created(self, d: dict[str, Any]) -> None:
        self._match(d, "suborch", "a sub-orchestration task")

    def _on_execution_started(self, d: dict[str, Any]) -> None:
        self.shim.instance_id = d["OrchestrationInstance"]["InstanceId"]
        parent = d.get("ParentInstance")
        self.shim.parent_id = parent["OrchestrationInstance"]["InstanceId"] if parent else None
        self.shim.run()

    def _on_event_raised(self, d: dict[str, Any]) -> None:
        """With continue-as-new pending, DTFx carries the event to the next execution
        (`TaskOrchestrationContext.HandleEventRaisedEvent`, BehaviorOnContinueAsNew.Carryover,
        the default of DurableTask.AzureStorage)."""
        if self.shim.has_can:
            assert self._event is not None
            self.carried.append(self._event)
        else:
            self.shim.raise_event(d["Name"], d["Input"])

    def _on_execution_terminated(self, d: dict[str, Any]) -> None:
        if self.completion is None:
            self.completion = Completion(self.shim.take_id(), h.TERMINATED, d["Input"])

    def _on_event_sent(self, d: dict[str, Any]) -> None:
        raise nd.missing_in_replay("a send event task", d["EventId"], None)

    _handlers: dict[int, Callable[[EpisodeReplay, dict[str, Any]], None]] = {
        EventType.ORCHESTRATOR_STARTED: _on_orchestrator_started,
        EventType.TASK_COMPLETED: _on_completed,
        EventType.SUB_ORCHESTRATION_INSTANCE_COMPLETED: _on_completed,
        EventType.TASK_FAILED: _on_failed,
        EventType.SUB_ORCHESTRATION_INSTANCE_FAILED: _on_failed,
        EventType.TASK_SCHEDULED: _on_task_scheduled,
        EventType.TIMER_CREATED: _on_timer_created,
        EventType.TIMER_FIRED: _on_timer_fired,
        EventType.SUB_ORCHESTRATION_INSTANCE_CREATED: _on_sub_orchestration_created,
        EventType.EXECUTION_STARTED: _on_execution_started,
        EventType.EVENT_RAISED: _on_event_raised,
        EventType.EXECUTION_TERMINATED: _on_execution_terminated,
        EventType.EVENT_SENT: _on_event_sent,
    }

    def _match(self, d: dict[str, Any], kind: str, what: str) -> None:
        """A scheduling event must find the shim's decision under its id (non-determinism)."""
        task_id = d["EventId"]
        decision = self.shim.pending.get(task_id)
        name = d.get("Name")
        if decision is None:
            raise nd.missing_in_replay(what, task_id, name)
        if decision.kind != kind:
            raise nd.different_action(what, task_id, name, decision.kind)
        if name is not None and decision.name is not None and name.lower() != decision.name.lower():
            raise nd.different_name(what, task_id, name, decision.name)
        del self.shim.pending[task_id]
