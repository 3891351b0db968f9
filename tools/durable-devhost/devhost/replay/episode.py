"""One orchestrator episode as a function: history in, new history and decisions out (spec §9).

`run_episode` builds the orchestration context from the history, calls the SDK's own
orchestrator handle with it (as the Python worker does), replays the returned actions through
the DTFx/shim emulation (`dtfx.py` walks the history, `shim.py` turns actions into decisions),
and returns an `EpisodeResult`. It reads no clock, starts no work and touches no engine: the
engine stores the result and carries out its decisions. Tests can drive it like the SDK's own
tests, "old events + new events in, actions out".
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import azure.functions as func

from devhost.replay import history as h
from devhost.replay.dtfx import EpisodeReplay, Outcome
from devhost.replay.shim import Completion, Decision, ShimInput

_LABEL = "\n\n$OutOfProcData$:"
_HANGS = "The real Durable Functions host would leave this instance Running forever."
_WAITS = "The instance waits forever, as it does on the real Durable Functions host."


class Functions(Protocol):
    """What an episode needs to know about the app's functions (`FunctionIndex` has it)."""

    def has_activity(self, name: str) -> bool: ...

    def has_orchestrator(self, name: str) -> bool: ...

    def activity_names(self) -> list[str]: ...

    def orchestrator_names(self) -> list[str]: ...


@dataclass(frozen=True)
class EpisodeInput:
    """One work item: the stored history of the current execution and the new messages."""

    name: str
    instance_id: str
    execution_id: str
    history: list[h.Event]
    batch: list[h.Event] | None  # None: the first run of a continue-as-new generation
    now: datetime  # OrchestratorStarted's time, and the time stamp of every new event
    handle: Callable[[Any], str]  # the SDK's orchestrator handle
    functions: Functions
    generation: int = 0  # continue-as-new count, carried into the next ExecutionStarted


@dataclass(frozen=True)
class NextExecution:
    """Continue-as-new: the new execution's id, input and starting history (DTFx)."""

    execution_id: str
    generation: int
    input_text: str | None
    history: list[h.Event]


@dataclass
class EpisodeResult:
    """What the engine applies: the new history, the work to start and how the execution ended."""

    history: list[h.Event]
    first_new: int  # history[first_new:] are the events this episode added or changed
    decisions: list[Decision]
    completion: Completion | None
    custom_status: Any = None  # None: the episode did not set one
    sdk_seconds: float = 0.0
    problem: str | None = None  # an error to log (non-determinism, unknown function, ...)
    next_execution: NextExecution | None = field(default=None)


def run_episode(episode: EpisodeInput) -> EpisodeResult:
    """Run one episode; blocking (the SDK call), so the engine runs it in a worker thread."""
    ts = h.net_timestamp(episode.now)  # OrchestratorStarted's, and every new event's
    if episode.batch is None:  # [OrchestratorStarted, ExecutionStarted, carried..., Completed]
        events, new_events, first_new = episode.history, episode.history[1:-1], 1
    else:
        events = [*episode.history, h.orchestrator_started(ts), *episode.batch]
        new_events, first_new = episode.batch, len(episode.history)
    state_text, error_text, elapsed = _invoke(
        episode.handle, context_json(episode.instance_id, events)
    )
    parsed = _shim_input(state_text, error_text)
    replay = EpisodeReplay(
        episode.name,
        episode.execution_id,
        episode.functions.has_activity,
        episode.functions.has_orchestrator,
    )
    custom_status = None
    if isinstance(parsed, str):
        reason = f"Orchestrator function '{episode.name}' failed: {parsed}"
        outcome = Outcome([], Completion(0, h.FAILED, reason, f"Message: {parsed}"))
    else:
        shim, custom_status = parsed
        oversize = custom_status_error(custom_status)
        if oversize is not None:
            # SetCustomStatus throws before the shim replays a single action, so the
            # orchestrator task faults at once; DTFx reports that, or a non-determinism if the
            # history already holds scheduled work the (empty) replay did not schedule again.
            # When the function itself raised, TaskOrchestrationShim replays inside its catch
            # block, which lets the ArgumentException out unwrapped.
            raised = shim.error is not None
            shim, custom_status = ShimInput([], error=oversize, bare_error=raised), None
        outcome = replay.run(events, shim)
    problem = _devhost_failures(episode, replay, outcome)

    for event in new_events:
        event.mark_played()
    appended = [_decision_event(d, ts) for d in outcome.decisions]
    completion = outcome.completion
    next_execution = None
    if completion is not None and completion.status == h.CONTINUED_AS_NEW:
        appended.append(h.continue_as_new(completion.event_id, ts, completion.result))
        next_execution = _next_execution(episode, events, completion.result, ts, outcome.carried)
    else:
        if completion is not None:
            appended.append(
                h.execution_completed(completion.event_id, ts, completion.status, completion.result)
            )
        appended.append(h.orchestrator_completed(ts))
    events.extend(appended)
    return EpisodeResult(
        history=events,
        first_new=first_new,
        decisions=outcome.decisions if completion is None else [],
        completion=completion,
        custom_status=custom_status,
        sdk_seconds=elapsed,
        problem=problem,
        next_execution=next_execution,
    )


def context_json(instance_id: str, events: list[h.Event]) -> str:
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
            h.dumps(instance_id),
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


def _invoke(handle: Any, body: str) -> tuple[str | None, str | None, float]:
    """Run the SDK's orchestrator handle as the worker does."""
    started = time.perf_counter()
    try:
        return handle(func.OrchestrationContext(body)), None, time.perf_counter() - started
    except Exception as exc:
        return None, str(exc), time.perf_counter() - started


def _shim_input(state_text: str | None, error_text: str | None) -> tuple[ShimInput, Any] | str:
    """Parse OrchestratorState, from the return value or after `$OutOfProcData$:` on failure."""
    if error_text is not None:
        if _LABEL not in error_text:
            return error_text  # an SDK-internal error: the orchestration fails with it
        state_text = error_text.partition(_LABEL)[2]
    state = json.loads(state_text or "{}")
    if state.get("schemaVersion") is None:
        return "devhost supports only replay schema V2/V3 (upperSchemaVersion was sent)"
    actions = state.get("actions") or [[]]
    shim = ShimInput(
        actions[0] if actions else [],
        bool(state.get("isDone")),
        state.get("output"),
        state.get("error"),
    )
    return shim, state.get("customStatus")


# DurableOrchestrationContext.SetCustomStatus: MaxCustomStatusPayloadSizeInKB.
CUSTOM_STATUS_LIMIT_KB = 16


def custom_status_error(value: Any) -> str | None:
    """The ArgumentException `MessagePayloadDataConverter.Serialize(value, 16)` throws, or None.

    Azure/azure-functions-durable-extension, MessagePayloadDataConverter.cs: the compact JSON's
    UTF-16 byte count, divided by 1024 and truncated, must not exceed 16 (so the first failing
    size is 17 KB). A null status is never serialized.
    """
    if value is None:
        return None
    size_kb = len(h.dumps(value).encode("utf-16-le")) // 1024
    if size_kb <= CUSTOM_STATUS_LIMIT_KB:
        return None
    return (
        "The UTF-16 size of the JSON-serialized payload must not exceed "
        f"{CUSTOM_STATUS_LIMIT_KB:,} KB. The current payload size is {size_kb:,} KB."
    )


def _devhost_failures(episode: EpisodeInput, replay: EpisodeReplay, outcome: Outcome) -> str | None:
    """Fail the instance where the real host would hang or devhost cannot follow; what to log."""
    if outcome.nondeterminism:
        return f"devhost: instance {episode.instance_id} failed: {outcome.nondeterminism}"
    if outcome.completion is not None:
        return None
    message = None
    functions = episode.functions
    if outcome.faulted:
        message = f"devhost: orchestrator '{episode.name}' called a sub-orchestrator that the "
        message += f"Durable extension refuses: {outcome.faulted[0]} {_HANGS}"
    elif outcome.unknown:
        kind, name = outcome.unknown[0]
        if kind == "activity":
            known = ", ".join(functions.activity_names()) or "none"
            message = f"scheduled activity '{name}', which is not registered (registered: {known})."
        else:
            known = ", ".join(functions.orchestrator_names()) or "none"
            message = (
                f"called sub-orchestrator '{name}', which is not registered (registered: {known})."
            )
        message = f"devhost: orchestrator '{episode.name}' {message} {_HANGS}"
    elif outcome.unsupported:
        message = f"devhost: orchestrator '{episode.name}' used {outcome.unsupported}."
    elif outcome.waits:
        # Follow the runtime (the instance stays Running), but say so.
        return (
            f"devhost: orchestrator '{episode.name}' made a call that will never complete: "
            f"{outcome.waits[0]}. {_WAITS} (instance {episode.instance_id})"
        )
    if message is None:
        return None
    outcome.decisions = []
    outcome.completion = Completion(replay.next_id, h.FAILED, message, message)
    return f"{message} (instance {episode.instance_id})"


def _decision_event(decision: Decision, ts: str) -> h.Event:
    if decision.kind == "task":
        if decision.http_request is not None:
            scheduled = h.http_scheduled_input(decision.http_request)
        else:
            scheduled = h.dumps([decision.input])
        return h.task_scheduled(decision.id, ts, decision.name, scheduled)
    if decision.kind == "timer":
        return h.timer_created(decision.id, ts, h.net_timestamp(decision.fire_at))
    return h.sub_orch_created(
        decision.id, ts, decision.name, decision.instance_id, h.dumps(decision.input)
    )


def _next_execution(
    episode: EpisodeInput,
    events: list[h.Event],
    new_input: str | None,
    ts: str,
    carried: list[h.Event],
) -> NextExecution:
    """A new execution with a fresh history, run at once in the same work item (DTFx).

    Events raised after continue-as-new in the same batch come along, between ExecutionStarted
    and OrchestratorCompleted (`TaskOrchestrationDispatcher.OnProcessWorkItemAsync`,
    `carryOverEvents`), already marked played by the execution that carried them.
    """
    parent = events[1].data["ParentInstance"]
    execution_id = h.new_guid()
    input_text = h.dumps(new_input)
    es = h.execution_started(
        ts,
        episode.instance_id,
        execution_id,
        episode.name,
        input_text,
        parent,
        episode.generation + 1,
    )
    history = [h.orchestrator_started(ts), es, *carried, h.orchestrator_completed(ts)]
    return NextExecution(execution_id, episode.generation + 1, input_text, history)
