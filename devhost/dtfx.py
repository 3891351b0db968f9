"""One episode of DTFx plus the extension's OrchestratorShim, replayed over a history.

Spec §4 and §9.4.

The SDK's actions are replayed the way `TaskOrchestrationShim` does it: top-level actions are
awaited one after another, errors swallowed, and every DTFx operation takes the next sequence
number. History events drive the replay: scheduling events must match a pending decision
(the non-determinism check), completions resolve open tasks and run continuations synchronously.
The walk is O(events + actions). The synchronous futures live in `futures.py`, the retry
interceptor in `retry.py`, and the non-determinism messages in `nondeterminism.py`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from azure.durable_functions.constants import HTTP_ACTION_NAME
from azure.durable_functions.models.actions import ActionType

from . import history as h
from . import nondeterminism as nd
from .futures import Future, completed, when_all, when_any
from .history import EventType
from .retry import retry


@dataclass(slots=True)
class Decision:
    """A DTFx orchestrator action waiting to become a history event (and a message)."""

    id: int
    kind: str  # "task" | "timer" | "suborch"
    name: str | None = None
    input: str | None = None  # the SDK's input text (activity, sub-orchestration)
    http_request: dict[str, Any] | None = None
    fire_at: datetime | None = None
    instance_id: str | None = None


@dataclass(slots=True)
class Completion:
    """How the execution ended in this episode: an ExecutionCompleted/ContinueAsNew event."""

    event_id: int
    status: int
    result: str | None
    details: str | None = None


@dataclass
class ShimInput:
    """What the Python function returned (OrchestratorState) or the error it raised with it."""

    actions: list[dict[str, Any]]
    is_done: bool = False
    output: Any = None
    error: str | None = None
    # The error escaped TaskOrchestrationShim unwrapped: DTFx fails with its bare message.
    bare_error: bool = False


@dataclass
class Outcome:
    decisions: list[Decision]
    completion: Completion | None
    nondeterminism: str | None = None
    unknown: list[tuple[str, str]] = field(default_factory=list)
    unsupported: str | None = None
    faulted: list[str] = field(default_factory=list)  # calls the DF layer refused (no id taken)
    carried: list[h.Event] = field(default_factory=list)  # EventRaised for the next execution


class UnsupportedActionError(Exception):
    pass


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class EpisodeReplay:
    """Replays one episode; create one per episode and call `run` once."""

    def __init__(
        self,
        name: str,
        execution_id: str,
        has_activity: Callable[[str], bool],
        has_orchestrator: Callable[[str], bool],
    ) -> None:
        self.name = name
        self.execution_id = execution_id
        self.has_activity = has_activity
        self.has_orchestrator = has_orchestrator
        self.next_id = 0
        self.pending: dict[int, Decision] = {}  # orchestratorActionsMap (ids ascend)
        self.open: dict[int, Future] = {}  # openTasks
        self.waiters: dict[str, list[Future]] = {}  # a stack per event name
        self.buffered: dict[str, deque[Any]] = {}
        self.utc: datetime | None = None
        self.can_input: str | None = None
        self.has_can = False
        self.shim_finished = False
        self.completion: Completion | None = None
        self.unknown: list[tuple[str, str]] = []
        self.faulted: list[str] = []
        self.carried: list[h.Event] = []
        self.shim: ShimInput | None = None
        self.instance_id = ""  # and the parent's: set from ExecutionStarted
        self.parent_id: str | None = None
        self._event: h.Event | None = None  # the event being processed

    # -- the walk ---------------------------------------------------------------------------
    def run(self, events: list[h.Event], shim: ShimInput) -> Outcome:
        self.shim = shim
        try:
            for event in events:
                self._event = event
                self._process(event.data)
        except nd.NonDeterminismError as exc:
            message = str(exc)
            completion = Completion(self._take_id(), h.FAILED, message, nd.failure_details(message))
            return Outcome(
                [], completion, nondeterminism=message, unknown=self.unknown, faulted=self.faulted
            )
        except UnsupportedActionError as exc:
            return Outcome(
                [], None, unknown=self.unknown, unsupported=str(exc), faulted=self.faulted
            )
        if self.completion is None and not self.open and self.shim_finished:
            self.completion = self._finish()
        carried = (
            self.carried if self.completion and self.completion.status == h.CONTINUED_AS_NEW else []
        )
        return Outcome(
            list(self.pending.values()),
            self.completion,
            unknown=self.unknown,
            faulted=self.faulted,
            carried=carried,
        )

    def _process(self, d: dict[str, Any]) -> None:
        handler = self._handlers.get(d["EventType"])
        if handler is not None:
            handler(self, d)

    def _on_orchestrator_started(self, d: dict[str, Any]) -> None:
        self.utc = _parse_time(d["Timestamp"])

    def _on_completed(self, d: dict[str, Any]) -> None:
        self._resolve(d["TaskScheduledId"], d["Result"])

    def _on_failed(self, d: dict[str, Any]) -> None:
        self._resolve(d["TaskScheduledId"], d["Reason"], failed=True)

    def _on_task_scheduled(self, d: dict[str, Any]) -> None:
        self._match(d, "task", "an activity task")

    def _on_timer_created(self, d: dict[str, Any]) -> None:
        self._match(d, "timer", "a timer task")

    def _on_timer_fired(self, d: dict[str, Any]) -> None:
        self._resolve(d["TimerId"], None)

    def _on_sub_orchestration_created(self, d: dict[str, Any]) -> None:
        self._match(d, "suborch", "a sub-orchestration task")

    def _on_execution_started(self, d: dict[str, Any]) -> None:
        self.instance_id = d["OrchestrationInstance"]["InstanceId"]
        parent = d.get("ParentInstance")
        self.parent_id = parent["OrchestrationInstance"]["InstanceId"] if parent else None
        self._run_shim(0)

    def _on_event_raised(self, d: dict[str, Any]) -> None:
        """With continue-as-new pending, DTFx carries the event to the next execution
        (`TaskOrchestrationContext.HandleEventRaisedEvent`, BehaviorOnContinueAsNew.Carryover,
        the default of DurableTask.AzureStorage)."""
        if self.has_can:
            assert self._event is not None
            self.carried.append(self._event)
        else:
            self._raise(d["Name"], d["Input"])

    def _on_execution_terminated(self, d: dict[str, Any]) -> None:
        if self.completion is None:
            self.completion = Completion(self._take_id(), h.TERMINATED, d["Input"])

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
        task_id = d["EventId"]
        decision = self.pending.get(task_id)
        name = d.get("Name")
        if decision is None:
            raise nd.missing_in_replay(what, task_id, name)
        if decision.kind != kind:
            raise nd.different_action(what, task_id, name, decision.kind)
        if name is not None and decision.name is not None and name.lower() != decision.name.lower():
            raise nd.different_name(what, task_id, name, decision.name)
        del self.pending[task_id]

    def _resolve(self, task_id: int, value: Any, failed: bool = False) -> None:
        """A completion event: resolve the open task (none if it was canceled or is unknown)."""
        fut = self.open.pop(task_id, None)
        if fut is not None:
            fut.resolve(value, failed)

    # -- the shim ---------------------------------------------------------------------------
    def _run_shim(self, index: int) -> None:
        actions = self.shim.actions
        while index < len(actions):
            fut = self._invoke(actions[index])
            index += 1
            if not fut.done:
                fut.on_done(lambda _f, i=index: self._run_shim(i))
                return
        # ScheduleDurableTaskEvents: after the replay, throw the error or set the output;
        # otherwise the C# task waits forever (Task.Delay(Infinite)).
        if self.shim.error is not None or self.shim.is_done:
            self.shim_finished = True

    def _invoke(self, action: dict[str, Any]) -> Future:
        kind = action["actionType"]
        if kind == ActionType.CALL_ACTIVITY:
            return self._schedule_activity(action["functionName"], action.get("input"))
        if kind == ActionType.CALL_HTTP:
            return self._schedule_task(HTTP_ACTION_NAME, None, action["httpRequest"])
        if kind == ActionType.WHEN_ALL or kind == ActionType.WHEN_ANY:
            children = [self._invoke(a) for a in action["compoundActions"]]
            return when_all(children) if kind == ActionType.WHEN_ALL else when_any(children)
        if kind == ActionType.CREATE_TIMER:
            fut = self._create_timer(_parse_time(action["fireAt"]))
            if action.get("isCanceled"):
                # cts.Cancel(): the TimerCreated decision stays, the open task goes.
                del self.open[self.next_id - 1]
                fut.resolve("canceled", failed=True)
            return fut
        if kind == ActionType.WAIT_FOR_EXTERNAL_EVENT:
            return self._wait_for_event(action["externalEventName"])
        if kind == ActionType.CALL_ACTIVITY_WITH_RETRY:
            name, input_ = action["functionName"], action.get("input")
            return self._retry(
                action["retryOptions"], lambda: self._schedule_activity(name, input_)
            )
        if kind == ActionType.CALL_SUB_ORCHESTRATOR:
            return self._schedule_suborch(action)
        if kind == ActionType.CALL_SUB_ORCHESTRATOR_WITH_RETRY:
            return self._retry(action["retryOptions"], lambda: self._schedule_suborch(action))
        if kind == ActionType.CONTINUE_AS_NEW:
            self.has_can, self.can_input = True, action.get("input")
            return completed()
        raise UnsupportedActionError(f"actionType {kind} (entities) is not supported by devhost")

    def _retry(self, options: dict[str, Any], call: Callable[[], Future]) -> Future:
        """Backs off on timers that take sequence ids, timed by the replay's current UTC."""
        return retry(options, call, lambda: self.utc, self._create_timer)

    def _take_id(self) -> int:
        task_id = self.next_id
        self.next_id += 1
        return task_id

    def _schedule_activity(self, name: str, input_: str | None) -> Future:
        if not self.has_activity(name):
            # ThrowIfFunctionDoesNotExist inside an async method: faulted, consumes no id.
            self.unknown.append(("activity", name))
            return completed("unknown function", failed=True)
        return self._schedule_task(name, input_, None)

    def _decide(self, decision: Decision) -> Future:
        """Record a decision under its sequence id and open the task that waits for it."""
        self.pending[decision.id] = decision
        fut = self.open[decision.id] = Future()
        return fut

    def _schedule_task(self, name: str, input_: str | None, http: dict[str, Any] | None) -> Future:
        return self._decide(Decision(self._take_id(), "task", name, input_, http_request=http))

    def _schedule_suborch(self, action: dict[str, Any]) -> Future:
        name = action["functionName"]
        if not self.has_orchestrator(name):
            self.unknown.append(("orchestrator", name))
            return completed("unknown function", failed=True)
        refused = self._refused_child_id(action.get("instanceId") or None)
        if refused is not None:
            self.faulted.append(refused)
            return completed(refused, failed=True)
        task_id = self._take_id()
        instance_id = action.get("instanceId") or f"{self.execution_id}:{task_id}"
        return self._decide(
            Decision(task_id, "suborch", name, action.get("input"), instance_id=instance_id)
        )

    def _refused_child_id(self, instance_id: str | None) -> str | None:
        """`CallDurableTaskFunctionAsync`'s checks (DurableOrchestrationContext.cs): the
        ArgumentException it throws faults the call before any sequence id is taken."""
        if instance_id is None:
            return None
        own = {self.instance_id.lower()} | ({self.parent_id.lower()} if self.parent_id else set())
        if instance_id.lower() in own:
            return (
                "The instance ID of a sub-orchestration must be different than the instance ID "
                "of a parent orchestration."
            )
        if instance_id.startswith("@"):
            # ArgumentException(nameof(instanceId), "...") swaps message and parameter name.
            return "instanceId (Parameter 'Orchestration instance ids must not start with @')"
        return None

    def _create_timer(self, fire_at: datetime) -> Future:
        return self._decide(Decision(self._take_id(), "timer", fire_at=fire_at))

    def _wait_for_event(self, name: str) -> Future:
        key = name.lower()  # the DF layer matches event names case-insensitively
        queue = self.buffered.get(key)
        if queue:
            value = queue.popleft()
            if not queue:
                del self.buffered[key]
            return completed(value)
        fut = Future()
        self.waiters.setdefault(key, []).append(fut)
        return fut

    def _raise(self, name: str, input_: Any) -> None:
        """The newest waiter of the name gets the event (the DF layer's waiters are a stack);
        with none, it is buffered and handed out first in, first out."""
        key = name.lower()
        waiting = self.waiters.get(key)
        if waiting:
            fut = waiting.pop()
            if not waiting:
                del self.waiters[key]
            fut.resolve(input_)
        else:
            self.buffered.setdefault(key, deque()).append(input_)

    # -- completion -------------------------------------------------------------------------
    def _finish(self) -> Completion:
        shim = self.shim
        event_id = self._take_id()
        if shim.error is not None and shim.bare_error:
            return Completion(event_id, h.FAILED, shim.error, shim.error)
        if shim.error is not None:
            error = shim.error
            return Completion(
                event_id,
                h.FAILED,
                f"Orchestrator function '{self.name}' failed: {error}",
                f"Message: {error}, StackTrace: (not available in devhost)",
            )
        if self.has_can:
            return Completion(event_id, h.CONTINUED_AS_NEW, self.can_input)
        result = None if shim.output is None else h.dumps(shim.output)
        return Completion(event_id, h.COMPLETED, result)
