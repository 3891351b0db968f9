"""The store contract, for the in-memory store and the SQLite one alike.

What DurableTask.AzureStorage keeps (Instances table, History table, control-queue messages)
and how a checkpoint changes it (`AzureStorageOrchestrationService.CompleteTaskOrchestration
WorkItemAsync`: history written, consumed messages deleted).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from devhost.replay import history as h
from devhost.replay.instance import InstanceRecord, Message, ParentLink
from devhost.replay.outstanding import outstanding_decisions
from devhost.runtime.sqlite_store import SqliteStore
from devhost.runtime.store import Checkpoint, MemoryStore

T0 = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
TS = h.net_timestamp(T0)


@pytest.fixture(params=["memory", "sqlite"])
def store(request, tmp_path):
    made = MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "state")
    yield made
    made.close()


def _record(instance_id: str, created: datetime = T0) -> InstanceRecord:
    return InstanceRecord(instance_id, "orch", "e1", created, created, input_text='"in"')


def _started(instance_id: str) -> Message:
    return Message(h.execution_started(TS, instance_id, "e1", "orch", '"in"'), "e1")


def test_a_created_instance_is_unfinished_with_its_start_message(store):
    stored = store.create(_record("a"), _started("a"))
    assert stored.seq is not None
    [item] = store.unfinished()
    assert item.record.id == "a" and item.record.status == h.PENDING
    assert item.history == []
    assert [m.event.data["Name"] for m in item.messages] == ["orch"]


def test_a_checkpoint_writes_history_and_status_and_consumes_its_messages(store):
    record = _record("a")
    start = store.create(record, _started("a"))
    raised = store.enqueue("a", Message(h.event_raised(TS, "go", "1")))
    record.status, record.custom_status = h.RUNNING, {"step": 1}
    history = [h.orchestrator_started(TS), start.event, h.orchestrator_completed(TS)]
    store.checkpoint(Checkpoint(record, history, 0, [start.seq]))

    [item] = store.unfinished()
    assert [e.text for e in item.history] == [e.text for e in history]
    assert [m.seq for m in item.messages] == [raised.seq]
    assert store.record("a").custom_status == {"step": 1}


def test_a_checkpoint_appends_from_first_new_and_zero_replaces(store):
    record = _record("a")
    store.create(record, _started("a"))
    first = [h.orchestrator_started(TS), _started("a").event, h.orchestrator_completed(TS)]
    store.checkpoint(Checkpoint(record, first, 0))
    more = [*first, h.orchestrator_started(TS), h.timer_fired(TS, 0, TS)]
    store.checkpoint(Checkpoint(record, more, len(first)))
    assert len(store.history("a")) == 5
    fresh = first[:2]
    store.checkpoint(Checkpoint(record, fresh, 0))  # continue-as-new: a new, shorter history
    assert [e.text for e in store.history("a")] == [e.text for e in fresh]


def test_finished_instances_are_kept_with_their_counters_until_purged(store):
    record = _record("a")
    store.create(record, _started("a"))
    record.status, record.output_text = h.COMPLETED, "42"
    record.counters.episodes = 3
    record.counters.episode_wall_s = [0.1, 0.2, 0.3]
    record.parent = ParentLink("p", "pe", 4)
    store.checkpoint(Checkpoint(record, [h.orchestrator_started(TS)], 0))
    assert store.unfinished() == []
    kept = store.record("a")
    assert (kept.status, kept.output_text, kept.parent) == (h.COMPLETED, "42", record.parent)
    assert kept.counters.episodes == 3 and kept.counters.episode_wall_s == [0.1, 0.2, 0.3]
    assert store.purge("a") == 1
    assert store.record("a") is None and store.history("a") == [] and store.purge("a") == 0


def test_retention_purges_only_finished_instances_created_before_the_cutoff(store):
    for instance_id, status, created in [
        ("old-done", h.COMPLETED, T0),
        ("old-running", h.RUNNING, T0),
        ("new-done", h.FAILED, T0 + timedelta(days=2)),
    ]:
        record = _record(instance_id, created)
        store.create(record, _started(instance_id))
        record.status = status
        store.checkpoint(Checkpoint(record, [], 0))
    assert store.purge_finished_before(T0 + timedelta(days=1)) == 1
    assert sorted(r.id for r in store.records()) == ["new-done", "old-running"]


def test_creating_an_existing_id_replaces_the_old_instance(store):
    record = _record("a")
    store.create(record, _started("a"))
    record.status = h.COMPLETED
    store.checkpoint(Checkpoint(record, [h.orchestrator_started(TS)], 0))
    store.create(_record("a"), _started("a"))
    assert store.record("a").status == h.PENDING and store.history("a") == []


def test_the_sqlite_store_survives_reopening(tmp_path):
    first = SqliteStore(tmp_path / "state")
    first.create(_record("a"), _started("a"))
    first.close()
    first.close()  # idempotent
    again = SqliteStore(tmp_path / "state")
    assert [item.record.id for item in again.unfinished()] == ["a"]
    again.close()
    assert (tmp_path / "state" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_outstanding_work_is_every_scheduling_event_without_its_result():
    request = {"method": "POST", "uri": "http://127.0.0.1:1/x", "content": "{}"}
    history = [
        h.orchestrator_started(TS),
        h.execution_started(TS, "a", "e1", "orch", None),
        h.task_scheduled(0, TS, "done_activity", h.dumps(['"in"'])),
        h.task_scheduled(1, TS, "open_activity", h.dumps(['"x"'])),
        h.task_scheduled(2, TS, "BuiltIn::HttpActivity", h.http_scheduled_input(request)),
        h.timer_created(3, TS, "2024-05-01T10:00:30Z"),
        h.sub_orch_created(4, TS, "child", "c1", h.dumps('{"n": 1}')),
        h.timer_created(5, TS, "2024-05-01T10:00:40Z"),
        h.orchestrator_completed(TS),
        h.task_completed(TS, 0, '"out"'),
        h.timer_fired(TS, 5, "2024-05-01T10:00:40Z"),
    ]
    found = outstanding_decisions(history)
    assert [(d.id, d.kind, d.name) for d in found] == [
        (1, "task", "open_activity"),
        (2, "task", "BuiltIn::HttpActivity"),
        (3, "timer", None),
        (4, "suborch", "child"),
    ]
    assert found[0].input == '"x"'
    assert found[1].http_request["uri"] == request["uri"]
    assert found[2].fire_at == T0 + timedelta(seconds=30)
    assert (found[3].instance_id, found[3].input) == ("c1", '{"n": 1}')
