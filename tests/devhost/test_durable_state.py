"""Durable state: a new engine on the same store resumes every unfinished instance.

The real host keeps instances in Azure Storage (DurableTask.AzureStorage: Instances and History
tables, control queues); after a restart it replays each instance's history on its next message,
and messages that were not answered are delivered again, so activities run at least once
(DurableTask.Core `TaskOrchestrationDispatcher` / `TaskActivityDispatcher`: a work item whose
lease expires is processed again). These tests stop an engine without a graceful drain (as a
crash would) and start a new one on the same SQLite folder.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from azure.durable_functions.models.history import HistoryEventType

from devhost import DurableEngine, EngineSettings, FunctionIndex
from devhost.replay import history as h
from devhost.replay.instance import InstanceRecord, Message
from devhost.runtime.sqlite_store import SqliteStore
from devhost.runtime.store import StoreLockedError
from devhost.testing import wait_until

APP = Path(__file__).parent / "apps" / "durable_app.py"
SCHEDULED = HistoryEventType.TASK_SCHEDULED
T0 = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
TS = h.net_timestamp(T0)


def _runs(folder: Path) -> list[str]:
    log = folder / "runs.log"
    return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def app_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DURABLE_APP_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
async def new_engine(app_dir: Path) -> AsyncIterator[Callable[..., DurableEngine]]:
    """new_engine() -> a started engine on app_dir/state; each call is a fresh host process."""
    engines: list[DurableEngine] = []

    async def make(**settings: object) -> DurableEngine:
        for old in engines:
            await old.close()  # no drain: what was running is cut off, as in a crash
        engine = DurableEngine(
            FunctionIndex.from_module(APP),
            EngineSettings(**settings),
            SqliteStore(app_dir / "state"),
        )
        engines.append(engine)
        await engine.start()
        return engine

    yield make
    for engine in engines:
        await engine.close()
    (app_dir / "hold").unlink(missing_ok=True)  # release runs the test cut off, so none lingers


async def test_an_activity_cut_off_by_a_crash_runs_again_and_the_instance_completes(
    app_dir, new_engine
):
    (app_dir / "hold").touch()
    first = await new_engine()
    await first.start_new("two_steps", "i1")
    await wait_until(lambda: _runs(app_dir) == ["start 1"], 10, "step 1 started")

    (app_dir / "hold").unlink()
    second = await new_engine()
    assert second.resumed == 1
    status = await second.wait("i1", 10)
    assert status["runtimeStatus"] == "Completed" and status["output"] == [10, 20]
    runs = _runs(app_dir)
    assert runs.count("start 1") == 2  # at least once: the cut-off run, then the resumed one
    assert runs.count("start 2") == 1


async def test_a_completed_activity_is_not_run_again_after_a_restart(app_dir, new_engine):
    first = await new_engine()
    await first.start_new("waiter", "w1")
    await first.wait_idle()
    await first.raise_event("w1", "go", "4")
    status = await first.wait("w1", 10)
    assert status["output"] == 40

    second = await new_engine()
    assert second.resumed == 0
    assert second.status("w1")["output"] == 40
    assert _runs(app_dir) == ["start 4", "done 4"]


async def test_an_instance_waiting_for_an_event_resumes_and_takes_the_event(new_engine):
    first = await new_engine()
    await first.start_new("waiter", "w2")
    await first.wait_idle()
    before = first.history("w2")

    second = await new_engine()
    assert second.resumed == 1
    assert second.history("w2") == before
    await second.raise_event("w2", "go", "5")
    assert (await second.wait("w2", 10))["output"] == 50


async def test_a_terminate_not_yet_processed_survives_the_crash(app_dir, new_engine):
    (app_dir / "hold").touch()
    first = await new_engine(batching="all")
    await first.start_new("two_steps", "i2")
    await wait_until(lambda: "start 1" in _runs(app_dir), 10, "step 1 started")
    await first.terminate("i2", "stop it")  # stored before the 202; no episode consumed it yet

    (app_dir / "hold").unlink()
    second = await new_engine()
    status = await second.wait("i2", 10)
    assert status["runtimeStatus"] == "Terminated" and status["output"] == "stop it"


async def test_a_parent_and_its_running_child_both_resume(app_dir, new_engine):
    (app_dir / "hold").touch()
    first = await new_engine()
    await first.start_new("parent_of_two_steps", "p1")
    await wait_until(lambda: _runs(app_dir) == ["start 1"], 10, "the child's step 1 started")

    (app_dir / "hold").unlink()
    second = await new_engine()
    assert second.resumed == 2
    status = await second.wait("p1", 10)
    assert status["output"] == {"child": [10, 20]}
    assert second.status("the-child")["runtimeStatus"] == "Completed"


async def test_finished_instances_leave_memory_but_stay_in_the_store(new_engine):
    engine = await new_engine()
    await engine.start_new("waiter", "w3")
    await engine.wait_idle()
    assert "w3" in engine.instances
    await engine.raise_event("w3", "go", "1")
    await engine.wait("w3", 10)
    assert "w3" not in engine.instances
    assert engine.status("w3")["runtimeStatus"] == "Completed"
    assert engine.counters("w3").episodes == 3
    last = engine.history("w3")[-2]  # read from the store
    assert last["EventType"] == HistoryEventType.EXECUTION_COMPLETED
    assert engine.purge("w3") == 1
    assert engine.status("w3") is None


async def test_retention_purges_old_finished_instances_at_start(new_engine):
    engine = await new_engine()
    await engine.start_new("waiter", "old")
    await engine.wait_idle()
    await engine.raise_event("old", "go", "1")
    await engine.wait("old", 10)
    await engine.start_new("waiter", "running")
    await engine.wait_idle()

    later = await new_engine(retention_s=0.0)
    assert later.status("old") is None
    assert later.status("running")["runtimeStatus"] == "Running"
    kept = await new_engine(retention_s=timedelta(days=1).total_seconds())
    assert kept.status("running") is not None


async def test_a_second_host_on_the_same_store_stops_with_a_clear_error(app_dir, new_engine):
    await new_engine()
    with pytest.raises(StoreLockedError, match="in use by another devhost"):
        SqliteStore(app_dir / "state")


async def test_counters_of_a_finished_instance_keep_their_wall_time(new_engine):
    engine = await new_engine()
    await engine.start_new("two_steps", "c1")
    await engine.wait("c1", 10)
    counters = engine.counters("c1")
    assert counters.episodes == 3
    assert len(counters.episode_wall_s) == len(counters.episode_started_s) == 3
    assert counters.episode_started_s == sorted(counters.episode_started_s)
    assert counters.wall_seconds >= sum(counters.episode_wall_s) > 0


async def test_draining_lets_running_work_finish_and_store_its_result_but_starts_nothing_new(
    app_dir, new_engine
):
    (app_dir / "hold").touch()
    engine = await new_engine()
    await engine.start_new("two_steps", "d1")
    await wait_until(lambda: _runs(app_dir) == ["start 1"], 10, "step 1 started")
    assert await engine.drain(0.05) is False  # step 1 is still held

    (app_dir / "hold").unlink()
    assert await engine.drain(10) is True
    assert _runs(app_dir) == ["start 1", "done 1"]
    scheduled = [e.get("Name") for e in engine.history("d1") if e["EventType"] == SCHEDULED]
    assert scheduled == ["step", "step"]  # step 2 is decided and stored, not started

    again = await new_engine()
    assert (await again.wait("d1", 10))["output"] == [10, 20]
    assert _runs(app_dir) == ["start 1", "done 1", "start 2", "done 2"]


async def test_an_instance_of_an_orchestrator_the_app_lacks_is_left_in_the_store(
    app_dir, new_engine, caplog
):
    store = SqliteStore(app_dir / "state")
    record = InstanceRecord("ghost-1", "ghost", "e1", T0, T0)
    store.create(record, Message(h.execution_started(TS, "ghost-1", "e1", "ghost", None), "e1"))
    store.close()

    engine = await new_engine()
    assert engine.resumed == 0
    assert engine.status("ghost-1")["runtimeStatus"] == "Pending"
    assert "ghost (ghost-1) is not resumed" in caplog.text
