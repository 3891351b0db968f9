"""The replay core alone: `run_episode` is history in, new history and decisions out.

No engine, event loop or threads: the shape of the SDK's own orchestrator tests
(azure-functions-durable-python tests/orchestrator/, "old events + new events in, expected
actions out"), here with the DTFx/shim replay of devhost in between.
"""

from datetime import UTC, datetime

import azure.durable_functions as df
from azure.durable_functions.models.history import HistoryEventType

from devhost.replay import history as h
from devhost.replay.episode import EpisodeInput, run_episode
from devhost.replay.shim import Decision

NOW = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
TS = h.net_timestamp(NOW)


def _orchestrator(context: df.DurableOrchestrationContext):
    doubled = yield context.call_activity("double", 21)
    return doubled


class _Functions:
    """The app's function names, as `FunctionIndex` answers them."""

    def has_activity(self, name: str) -> bool:
        return name == "double"

    def has_orchestrator(self, name: str) -> bool:
        return name == "doubler"

    def activity_names(self) -> list[str]:
        return ["double"]

    def orchestrator_names(self) -> list[str]:
        return ["doubler"]


def _episode(history: list[h.Event], batch: list[h.Event]) -> EpisodeInput:
    return EpisodeInput(
        name="doubler",
        instance_id="i1",
        execution_id="e1",
        history=history,
        batch=batch,
        now=NOW,
        handle=df.Orchestrator.create(_orchestrator),
        functions=_Functions(),
    )


def _types(events: list[h.Event]) -> list[HistoryEventType]:
    return [HistoryEventType(e.data["EventType"]) for e in events]


def test_first_episode_schedules_the_activity_and_appends_its_events():
    started = h.execution_started(TS, "i1", "e1", "doubler", None)
    result = run_episode(_episode([], [started]))
    assert result.completion is None and result.next_execution is None
    assert result.decisions == [Decision(0, "task", "double", "21")]
    assert _types(result.history) == [
        HistoryEventType.ORCHESTRATOR_STARTED,
        HistoryEventType.EXECUTION_STARTED,
        HistoryEventType.TASK_SCHEDULED,
        HistoryEventType.ORCHESTRATOR_COMPLETED,
    ]
    assert result.first_new == 0
    assert started.data["IsPlayed"] is True  # processed events are stored as played


def test_second_episode_completes_with_the_activity_result():
    first = run_episode(_episode([], [h.execution_started(TS, "i1", "e1", "doubler", None)]))
    result = run_episode(_episode(first.history, [h.task_completed(TS, 0, "42")]))
    assert result.decisions == []
    assert result.completion is not None
    assert (result.completion.status, result.completion.result) == (h.COMPLETED, "42")
    assert result.first_new == len(first.history)
    assert _types(result.history[result.first_new :]) == [
        HistoryEventType.ORCHESTRATOR_STARTED,
        HistoryEventType.TASK_COMPLETED,
        HistoryEventType.EXECUTION_COMPLETED,
        HistoryEventType.ORCHESTRATOR_COMPLETED,
    ]


def test_a_changed_orchestrator_fails_as_non_deterministic():
    first = run_episode(_episode([], [h.execution_started(TS, "i1", "e1", "doubler", None)]))
    renamed = [
        h.task_scheduled(e.data["EventId"], TS, "triple", e.data["Input"])
        if e.data["EventType"] == HistoryEventType.TASK_SCHEDULED
        else e
        for e in first.history
    ]
    result = run_episode(_episode(renamed, [h.task_completed(TS, 0, "42")]))
    assert result.completion is not None and result.completion.status == h.FAILED
    assert "named 'triple'" in result.completion.result
    assert "named 'double'" in result.completion.result
    assert result.problem is not None
