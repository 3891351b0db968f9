"""The example of docs/testing-your-app.md: a user's own tests of tiny apps that are not this one.

`durable_app` comes from `devhost.testing.pytest_plugin` (enabled in tests/conftest.py). The
same test runs against a v2 app (function_app.py with a blueprint) and a v1 app (function.json
folders).
"""

import os
from pathlib import Path

import pytest
from azure.durable_functions.models.history.HistoryEventType import HistoryEventType

APPS = Path(__file__).resolve().parents[1] / "apps"


@pytest.mark.parametrize(
    ("folder", "orchestrator", "activity"),
    [("hello_v2", "hello_sequence", "say_hello"), ("hello_v1", "E1_HelloSequence", "E1_SayHello")],
)
async def test_a_sequence_of_n_activities_completes_in_n_plus_1_episodes(
    durable_app, folder, orchestrator, activity
):
    app = await durable_app(APPS / folder)
    instance_id = await app.start(orchestrator, ["Tokyo", "Seattle"])
    status = await app.wait(instance_id)

    assert status.runtime_status.name == "Completed"
    assert status.output == ["Hello Tokyo!", "Hello Seattle!"]  # GREETING from its settings
    counters = app.counters(instance_id)
    assert (counters.episodes, counters.activities_run) == (3, 2)
    history = await app.history(instance_id)
    # The status API's history: each TaskScheduled is folded into its TaskCompleted.
    completed = [
        (e["FunctionName"], e["Result"]) for e in history if e["EventType"] == "TaskCompleted"
    ]
    assert completed == [(activity, "Hello Tokyo!"), (activity, "Hello Seattle!")]
    assert history[-1]["EventType"] == "ExecutionCompleted"
    # The stored events, one per history entry, with the SDK's event type numbers.
    events = app.events(instance_id)
    scheduled = [e["Name"] for e in events if e["EventType"] == HistoryEventType.TASK_SCHEDULED]
    assert scheduled == [activity, activity]


async def test_settings_and_events_reach_the_app(durable_app):
    app = await durable_app(APPS / "hello_v2", env={"GREETING": "Bonjour"})
    assert (await app.run("hello_sequence", ["Lyon"])).output == ["Bonjour Lyon!"]
    assert os.environ.get("GREETING") == "Bonjour"  # for the host's lifetime only

    instance_id = await app.start("approval")
    await app.raise_event(instance_id, "Approval", {"ok": True, "by": "Ana"})
    status = await app.wait(instance_id, timeout=10)
    assert (status.output, status.custom_status) == ("approved by Ana", "waiting for approval")


async def test_waiting_too_long_names_the_instance_and_its_status(durable_app):
    app = await durable_app(APPS / "hello_v2")
    instance_id = await app.start("approval")
    with pytest.raises(TimeoutError, match=rf"{instance_id} \(approval\) still 'Running'"):
        await app.wait(instance_id, timeout=0.2)


async def test_a_failure_is_a_status_not_an_exception(durable_app):
    app = await durable_app(APPS / "hello_v1")
    status = await app.run("Boom")
    assert status.runtime_status.name == "Failed"
    assert "orchestrator gave up" in status.output
