"""The extension's OrchestratorShim over DTFx: the SDK's actions become sequenced decisions.

Spec §4. The SDK returns its actions as JSON; `TaskOrchestrationShim` replays them one top-level
action after another, swallowing errors, and every DTFx operation (an activity, an HTTP call, a
timer, a sub-orchestration) takes the next sequence number and opens a task. `OrchestratorShim`
does the same: its `pending` decisions are what the history walk of `dtfx.py` must find again
(the non-determinism check), its `open` tasks what completions resolve. External events go to the
newest waiter of their name. Continuations run synchronously on resolution (`futures.py`);
retries back off on sequenced timers (`retry.py`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from azure.durable_functions.constants import HTTP_ACTION_NAME
from azure.durable_functions.models.actions import ActionType

from devhost.replay import history as h
from devhost.replay.futures import Future, completed, when_all, when_any
from devhost.replay.retry import refusal, retry, waits_forever


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


class UnsupportedActionError(Exception):
    pass


class OrchestratorShim:
    """The actions of one episode as DTFx operations; one per episode."""

    def __init__(
        self,
        name: str,
        execution_id: str,
        has_activity: Callable[[str], bool],
        has_orchestrator: Callable[[str], bool],
        returned: ShimInput,
    ) -> None:
        self.name = name
        self.execution_id = execution_id
        self.has_activity = has_activity
        self.has_orchestrator = has_orchestrator
        self.returned = returned
        self.next_id = 0
        self.pending: dict[int, Decision] = {}  # orchestratorActionsMap (ids ascend)
        self.open: dict[int, Future] = {}  # openTasks
        self.waiters: dict[str, list[Future]] = {}  # a stack per event name
        self.buffered: dict[str, deque[Any]] = {}
        self.utc: datetime | None = None  # the replay's current time (OrchestratorStarted)
        self.can_input: str | None = None
        self.has_can = False
        self.finished = False
        self.unknown: list[tuple[str, str]] = []
        self.faulted: list[str] = []  # calls the DF layer refused (no id taken)
        self.waits: list[str] = []  # why a call never reaches the SDK (the instance waits)
        self.instance_id = ""  # and the parent's: set from ExecutionStarted
        self.parent_id: str | None = None

    def take_id(self) -> int:
        task_id = self.next_id
        self.next_id += 1
        return task_id

    def run(self, index: int = 0) -> None:
        """Replay the actions from `index` until one waits (its completion resumes the rest)."""
        actions = self.returned.actions
        while index < len(actions):
            fut = self._invoke(actions[index])
            index += 1
            if not fut.done:
                fut.on_done(lambda _f, i=index: self.run(i))
                return
        # ScheduleDurableTaskEvents: after the replay, throw the error or set the output;
        # otherwise the C# task waits forever (Task.Delay(Infinite)).
        if self.returned.error is not None or self.returned.is_done:
            self.finished = True

    def resolve(self, task_id: int, value: Any, failed: bool = False) -> None:
        """A completion event: resolve the open task (none if it was canceled or is unknown)."""
        fut = self.open.pop(task_id, None)
        if fut is not None:
            fut.resolve(value, failed)

    def raise_event(self, name: str, input_: Any) -> None:
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

    def finish(self) -> Completion:
        """How the execution ends once every action ran and no task is open."""
        shim = self.returned
        event_id = self.take_id()
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

    # -- one action -------------------------------------------------------------------------
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
            fut = self._create_timer(h.parse_timestamp(action["fireAt"]))
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
        waits = waits_forever(options)
        if waits is not None:
            self.waits.append(waits)
        refused = refusal(options)
        if refused is not None:  # faulted before any id is taken; the shim swallows it
            return completed(refused, failed=True)
        return retry(options, call, lambda: self.utc, self._create_timer)

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
        return self._decide(Decision(self.take_id(), "task", name, input_, http_request=http))

    def _schedule_suborch(self, action: dict[str, Any]) -> Future:
        name = action["functionName"]
        if not self.has_orchestrator(name):
            self.unknown.append(("orchestrator", name))
            return completed("unknown function", failed=True)
        refused = self._refused_child_id(action.get("instanceId") or None)
        if refused is not None:
            self.faulted.append(refused)
            return completed(refused, failed=True)
        task_id = self.take_id()
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
        return self._decide(Decision(self.take_id(), "timer", fire_at=fire_at))

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
