"""The replay's non-determinism failures, worded as DTFx words them.

Users search for these texts and tests assert on them, so they follow DTFx's
`NonDeterministicOrchestrationException` messages word for word; `dtfx.py` decides when to raise.
"""

from __future__ import annotations

_ACTION_TYPE_NAMES = {
    "task": "ScheduleTaskOrchestratorAction",
    "timer": "CreateTimerOrchestratorAction",
    "suborch": "CreateSubOrchestrationAction",
}
_NON_DETERMINISTIC = "Non-Deterministic workflow detected: "
_CHANGED = (
    "Was a change made to the orchestrator code after this instance had already started running?"
)


class NonDeterminismError(Exception):
    """A scheduling event in the history does not match what the replay scheduled."""


def missing_in_replay(what: str, task_id: int, name: str | None) -> NonDeterminismError:
    """The history scheduled `what` with this id; the replay has scheduled nothing there."""
    named = f" and name '{name}'" if name is not None else ""
    return NonDeterminismError(
        f"{_NON_DETERMINISTIC}A previous execution of this orchestration scheduled {what} "
        f"with sequence ID {task_id}{named}, but the current replay execution hasn't "
        f"(yet?) scheduled this task. {_CHANGED}"
    )


def different_action(what: str, task_id: int, name: str | None, kind: str) -> NonDeterminismError:
    """The replay scheduled another kind of action (`kind`) under the same id."""
    named = f" named '{name}'" if name is not None else ""
    return NonDeterminismError(
        f"{_NON_DETERMINISTIC}A previous execution of this orchestration scheduled {what} "
        f"with sequence number {task_id}{named}, but the current orchestration replay "
        f"instead produced a {_ACTION_TYPE_NAMES[kind]} action with this "
        f"sequence number. {_CHANGED}"
    )


def different_name(what: str, task_id: int, name: str, replayed: str) -> NonDeterminismError:
    """The replay scheduled the same kind of action under the same id, but another function."""
    return NonDeterminismError(
        f"{_NON_DETERMINISTIC}A previous execution of this orchestration scheduled {what} "
        f"with sequence number {task_id} named '{name}', but the current orchestration "
        f"replay instead scheduled {what} named '{replayed}' with this sequence "
        f"number. {_CHANGED}"
    )


def failure_details(message: str) -> str:
    """The FailureDetails text of the instance that the non-determinism failed."""
    return (
        "Unhandled exception while executing orchestration: DurableTask.Core.Exceptions."
        f"NonDeterministicOrchestrationException: {message}"
    )
