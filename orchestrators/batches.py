"""Waiting for many durable tasks at once, at most ``max_parallel`` in flight.

Tasks of the SDK are scheduled when they are yielded, not when they are created, so an
orchestrator can create every task first and hand the list here: one ``task_all`` per batch.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from typing import Any

import azure.durable_functions as df
from azure.durable_functions.models.Task import TaskBase, TaskState


def _batches(tasks: list[TaskBase], max_parallel: int | None) -> list[list[TaskBase]]:
    size = max_parallel or max(len(tasks), 1)
    return [tasks[start : start + size] for start in range(0, len(tasks), size)]


def task_all(
    context: df.DurableOrchestrationContext, tasks: list[TaskBase], max_parallel: int | None
) -> Generator[Any, Any, list[Any]]:
    """``yield context.task_all(tasks)`` in batches; the results in order (``yield from`` it).

    Fails on the first failed task, as ``task_all`` does. ``task_all([])`` would return None.
    """
    results: list[Any] = []
    for batch in _batches(tasks, max_parallel):
        results.extend((yield context.task_all(batch)))
    return results


def settle(
    context: df.DurableOrchestrationContext, tasks: list[TaskBase], max_parallel: int | None
) -> Generator[Any, Any, None]:
    """Wait until every task has succeeded or failed; read each task's ``state`` after.

    ``task_all`` fails on the first failed child while the others are still in flight, so a
    failure waits again for the rest (already-yielded tasks are not scheduled twice). On a run
    without failures this is exactly one ``task_all`` per batch.
    """
    for batch in _batches(tasks, max_parallel):
        while pending := [task for task in batch if task.state is TaskState.RUNNING]:
            with contextlib.suppress(Exception):  # each task's own state says what failed
                yield context.task_all(pending)
