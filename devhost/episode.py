"""One orchestrator episode (spec §9.1-9.7): call the SDK, replay, append decisions.

Carrying the decisions out is `dispatch.py`'s job; this module hands them over.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import TYPE_CHECKING, Any

import azure.functions as func

from . import history as h
from .dtfx import Completion, Decision, EpisodeReplay, Outcome, ShimInput
from .http_activity import scheduled_input
from .instance import Instance

if TYPE_CHECKING:
    from .engine import DurableEngine

log = logging.getLogger("devhost")
_LABEL = "\n\n$OutOfProcData$:"
_HANGS = "The real Durable Functions host would leave this instance Running forever."


def _invoke(handle: Any, body: str) -> tuple[str | None, str | None, float]:
    """Run the SDK's orchestrator handle as the worker does; runs in a worker thread."""
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


async def run_episode(
    engine: DurableEngine,
    inst: Instance,
    batch: list[h.Event] | None,
    *,
    not_before: float = 0.0,
) -> None:
    """`batch` None means the first run of a continue-as-new generation (same work item).

    `not_before` (a `time.perf_counter()` value) holds the episode's decisions back until then:
    the engine's per-episode cost, of which this replay is a part.
    """
    if batch is None:
        events, new_events = inst.history, inst.history[1:2]
    else:
        start = h.orchestrator_started(engine.timestamp())
        events, new_events = [*inst.history, start, *batch], batch
    entry = engine.index.orchestrator(inst.name)
    body = inst.context_json(events)
    loop = asyncio.get_running_loop()
    state_text, error_text, elapsed = await loop.run_in_executor(
        engine.orchestrator_pool, _invoke, entry.handle, body
    )
    inst.counters.episodes += 1
    inst.counters.sdk_seconds += elapsed

    parsed = _shim_input(state_text, error_text)
    replay = EpisodeReplay(
        inst.name, inst.execution_id, engine.index.has_activity, engine.index.has_orchestrator
    )
    if isinstance(parsed, str):
        reason = f"Orchestrator function '{inst.name}' failed: {parsed}"
        outcome = Outcome([], Completion(0, h.FAILED, reason, f"Message: {parsed}"))
    else:
        shim, custom_status = parsed
        if custom_status is not None:
            inst.custom_status = custom_status
        outcome = replay.run(events, shim)
    _devhost_failures(engine, inst, replay, outcome)

    remaining = not_before - time.perf_counter()
    if remaining > 0:
        await asyncio.sleep(remaining)
    ts = engine.timestamp()
    for event in new_events:
        event.mark_played()
    appended = [_decision_event(d, ts) for d in outcome.decisions]
    completion = outcome.completion
    if completion is not None:
        if completion.status == h.CONTINUED_AS_NEW:
            appended.append(h.continue_as_new(completion.event_id, ts, completion.result))
        else:
            appended.append(
                h.execution_completed(completion.event_id, ts, completion.status, completion.result)
            )
    if completion is None or completion.status != h.CONTINUED_AS_NEW:
        appended.append(h.orchestrator_completed(ts))
    events.extend(appended)
    inst.history = events
    inst.last_updated = engine.clock.now()

    if completion is None:
        inst.status = h.RUNNING
        engine.dispatcher.dispatch(inst, outcome.decisions)
    elif completion.status == h.CONTINUED_AS_NEW:
        _continue_as_new(engine, inst, completion.result)
    else:
        inst.status = completion.status
        inst.output_text = completion.result
        inst.failure_details = completion.details
        engine.dispatcher.finish(inst)


def _devhost_failures(
    engine: DurableEngine, inst: Instance, replay: EpisodeReplay, outcome: Outcome
) -> None:
    """Fail the instance where the real host would hang or devhost cannot follow."""
    if outcome.nondeterminism:
        log.error("devhost: instance %s failed: %s", inst.id, outcome.nondeterminism)
    if outcome.completion is not None:
        return
    message = None
    if outcome.unknown:
        kind, name = outcome.unknown[0]
        if kind == "activity":
            known = ", ".join(engine.index.activity_names()) or "none"
            message = f"scheduled activity '{name}', which is not registered (registered: {known})."
        else:
            known = ", ".join(engine.index.orchestrator_names()) or "none"
            message = (
                f"called sub-orchestrator '{name}', which is not registered (registered: {known})."
            )
        message = f"devhost: orchestrator '{inst.name}' {message} {_HANGS}"
    elif outcome.unsupported:
        message = f"devhost: orchestrator '{inst.name}' used {outcome.unsupported}."
    if message is not None:
        log.error("%s (instance %s)", message, inst.id)
        outcome.decisions = []
        outcome.completion = Completion(replay.next_id, h.FAILED, message, message)


def _decision_event(decision: Decision, ts: str) -> h.Event:
    if decision.kind == "task":
        if decision.http_request is not None:
            scheduled = scheduled_input(decision.http_request)
        else:
            scheduled = h.dumps([decision.input])
        return h.task_scheduled(decision.id, ts, decision.name, scheduled)
    if decision.kind == "timer":
        return h.timer_created(decision.id, ts, h.net_timestamp(decision.fire_at))
    return h.sub_orch_created(
        decision.id, ts, decision.name, decision.instance_id, h.dumps(decision.input)
    )


def _continue_as_new(engine: DurableEngine, inst: Instance, new_input: str | None) -> None:
    """A new execution with a fresh history, run at once in the same work item (DTFx)."""
    parent = inst.history[1].data["ParentInstance"]
    inst.execution_id = h.new_guid()
    inst.generation += 1
    inst.input_text = h.dumps(new_input)
    ts = engine.timestamp()
    es = h.execution_started(
        ts, inst.id, inst.execution_id, inst.name, inst.input_text, parent, inst.generation
    )
    inst.history = [h.orchestrator_started(ts), es, h.orchestrator_completed(ts)]
    inst.inbox = type(inst.inbox)(m for m in inst.inbox if m.execution_id is None)
    inst.status = h.RUNNING
    inst.fresh_generation = True
