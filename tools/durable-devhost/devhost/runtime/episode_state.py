"""An instance's side of one episode: the input taken from it, the result applied back to it.

`episode_input` is what `episode.run_episode` (pure) reads; `apply_result` turns the
`EpisodeResult` into the instance's new record, history and counters, and the `Checkpoint` the
store then commits at once, as DTFx's `TaskOrchestrationDispatcher.OnProcessWorkItemAsync`
hands new history and status to `CompleteTaskOrchestrationWorkItemAsync`. Storing it and
starting the decided work stay with the driver: this module changes the instance in memory.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from devhost.replay import history as h
from devhost.replay.episode import EpisodeInput, EpisodeResult, Functions
from devhost.replay.instance import Instance, Message
from devhost.runtime.store import Checkpoint


def episode_input(
    inst: Instance, batch: list[Message] | None, now: Any, handle: Any, functions: Functions
) -> EpisodeInput:
    """The work item for the instance's next episode (`batch` None: a new execution's first)."""
    record = inst.record
    return EpisodeInput(
        name=record.name,
        instance_id=record.id,
        execution_id=record.execution_id,
        history=inst.history,
        batch=None if batch is None else [m.event for m in batch],
        now=now,
        handle=handle,
        functions=functions,
        generation=record.generation,
    )


def carry_over_status(result: EpisodeResult, continued: bool, previous_status: Any) -> Any:
    """The custom status to store; what the episode set, for the next round of the work item.

    A new execution that sets none keeps the previous execution's status within the same work
    item (TaskOrchestrationDispatcher: `runtimeState.Status ?? carryOverStatus`).
    """
    status = result.custom_status
    if status is None and continued:
        result.custom_status = previous_status
    return status


def apply_result(
    inst: Instance, result: EpisodeResult, consumed: list[int], started: float, now: Any
) -> Checkpoint:
    """Update the instance from the episode's result; the checkpoint that stores it.

    `started` is the episode's `time.perf_counter()` start, `now` the clock's time.
    """
    record = inst.record
    counters = record.counters
    counters.episodes += 1
    counters.sdk_seconds += result.sdk_seconds
    counters.episode_started_s.append(started - inst.started_at)
    # Replaced by every episode, null included (DTFx: `runtimeState.Status =
    # result?.CustomStatus`; the shim's context, and its status, are new each episode).
    record.custom_status = result.custom_status
    record.last_updated = now
    completion, following = result.completion, result.next_execution
    first_new = result.first_new
    if following is not None:
        record.execution_id, record.generation = following.execution_id, following.generation
        record.input_text, record.status = following.input_text, h.RUNNING
        # The Instances row takes the new ExecutionStarted's time as CreatedTime
        # (DurableTask.AzureStorage `AzureTableTrackingStore.UpdateStateAsync`).
        record.created = h.parse_timestamp(following.history[1].data["Timestamp"])
        inst.history, first_new = following.history, 0
        inst.inbox = deque(m for m in inst.inbox if m.execution_id is None)
    else:
        inst.history = result.history
        if completion is None:
            record.status = h.RUNNING
        else:
            record.status = completion.status
            record.output_text = completion.result
            record.failure_details = completion.details
    counters.episode_wall_s.append(time.perf_counter() - started)
    if record.terminal:  # final figures, stored with the record
        counters.wall_seconds = time.perf_counter() - inst.started_at
        counters.history_events = len(inst.history)
    return Checkpoint(record, inst.history, first_new, consumed)
