"""Waiting for many durable tasks at once, at most ``max_parallel`` in flight.

Tasks of the SDK are scheduled when they are yielded, not when they are created, so an
orchestrator can create every task first and then ``yield context.task_all(batch)`` for each
batch. ``settle`` is the form that outlives failures, for the billing guard.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from typing import Any

import azure.durable_functions as df
from azure.durable_functions.models.Task import TaskBase, TaskState


def batches(tasks: list[TaskBase], max_parallel: int | None) -> list[list[TaskBase]]:
    """``tasks`` in batches of ``max_parallel`` (one batch when None); never an empty batch."""
    size = max_parallel or max(len(tasks), 1)
    return [tasks[start : start + size] for start in range(0, len(tasks), size)]


def settle(
    context: df.DurableOrchestrationContext, tasks: list[TaskBase], max_parallel: int | None
) -> Generator[Any, Any, None]:
    """Wait until every task has succeeded or failed; read each task's ``state`` after.

    ``task_all`` fails on the first failed child while the others are still in flight, so a
    failure waits again for the rest (already-yielded tasks are not scheduled twice). Tasks
    that are already settled cost nothing: no yield at all.
    """
    for batch in batches(tasks, max_parallel):
        while pending := [task for task in batch if task.state is TaskState.RUNNING]:
            with contextlib.suppress(Exception):  # each task's own state says what failed
                yield context.task_all(pending)
