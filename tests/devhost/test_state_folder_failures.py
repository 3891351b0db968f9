"""The state folder under damage: each case is one line naming the file, the cause and the
safe next step, and never "delete the folder" while it may hold instances.

The real host's store is Azure Storage: a failed write fails the work item, which is retried
from the last checkpoint (DurableTask.Core `TaskOrchestrationDispatcher.OnProcessWorkItemAsync`
abandons the work item when `CompleteTaskOrchestrationWorkItemAsync` throws), so nothing is
reported that was not stored. devhost pauses the instance at its last stored episode instead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from devhost import DurableEngine, EngineSettings, FunctionIndex
from devhost.replay import history as h
from devhost.replay.instance import InstanceRecord, Message
from devhost.runtime.sqlite_store import FILE_NAME, SqliteStore
from devhost.runtime.store import StoreError, StoreLockedError, StoreWriteError
from devhost.testing import wait_until

APP = Path(__file__).parent / "apps" / "durable_app.py"
NOBODY = 65534
T0 = h.parse_timestamp("2024-05-01T10:00:00Z")


def _opening_error(folder: Path) -> str:
    with pytest.raises(StoreError) as caught:
        SqliteStore(folder)
    message = str(caught.value)
    assert "\n" not in message and "delete the folder" not in message
    return message


def _as_another_user(check: Callable[[], str]) -> str:
    """`check()` as an unprivileged user (root may write read-only files), in a forked child."""
    if os.geteuid() != 0:
        return check()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, run, report, leave without pytest's cleanup
        os.close(read)
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            text = check()
        except BaseException as exc:
            text = f"child failed: {type(exc).__name__}: {exc}"
        os.write(write, text.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    return text


@pytest.fixture
def open_folder():
    """A folder anyone may enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="devhost-state-"))
    folder.chmod(0o755)
    yield folder
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o700)
    for path in sorted(folder.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    folder.rmdir()


def _stored_instances(
    folder: Path, count: int, *, pad: int = 0, status: int = h.PENDING
) -> list[str]:
    store = SqliteStore(folder)
    ids = [f"i{n:03d}" for n in range(count)]
    for instance_id in ids:
        record = InstanceRecord(
            instance_id, "two_steps", "e1", T0, T0, input_text="1" * pad, status=status
        )
        started = h.execution_started(h.net_timestamp(T0), instance_id, "e1", "two_steps", None)
        store.create(record, Message(started, "e1"))
    store.close()
    return ids


def test_a_state_dir_that_is_a_file_says_so(tmp_path):
    folder = tmp_path / "state"
    folder.write_text("not a folder")
    assert (
        _opening_error(folder) == f"the state folder {folder} is a file: give --state-dir a folder"
    )


def test_a_read_only_state_file_names_permissions_not_deletion(open_folder):
    state = open_folder / "state"
    _stored_instances(state, 1)
    for path in [state, *state.iterdir()]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    (state / FILE_NAME).chmod(0o444)
    message = _as_another_user(lambda: _opening_error(state))
    assert message.startswith(f"cannot open {state / FILE_NAME}: it is read-only"), message
    assert "(permissions)" in message and "chmod u+w" in message


def test_a_read_only_state_folder_names_permissions_not_deletion(open_folder):
    state = open_folder / "state"
    _stored_instances(state, 1)
    for path in state.iterdir():
        path.chmod(0o666)
    state.chmod(0o555)
    message = _as_another_user(lambda: _opening_error(state))
    assert "read-only for this user (permissions)" in message, message
    assert str(state) in message


def test_a_file_that_is_not_a_database_is_damage_with_a_recovery_step(tmp_path):
    folder = tmp_path / "state"
    folder.mkdir()
    (folder / FILE_NAME).write_bytes(b"not a database, just bytes " * 100)
    message = _opening_error(folder)
    assert message.startswith(f"{folder / FILE_NAME} is damaged (file is not a database)")
    assert ".recover" in message and "state.sqlite3-wal" in message


def test_an_empty_state_file_is_refused_rather_than_started_empty(tmp_path):
    folder = tmp_path / "state"
    folder.mkdir()
    (folder / FILE_NAME).touch()
    message = _opening_error(folder)
    assert message.startswith(f"{folder / FILE_NAME} is empty (0 bytes)")
    assert "restore it from a copy (with its state.sqlite3-wal file)" in message


def test_another_program_holding_the_file_is_not_called_another_devhost(tmp_path):
    folder = tmp_path / "state"
    _stored_instances(folder, 1)
    shell = sqlite3.connect(folder / FILE_NAME, isolation_level=None)
    shell.execute("BEGIN")
    shell.execute("SELECT count(*) FROM instances").fetchone()  # a read transaction stays open
    try:
        with pytest.raises(StoreLockedError) as caught:
            SqliteStore(folder)
    finally:
        shell.close()
    assert str(caught.value) == (
        f"{folder / FILE_NAME} is held by another program (for example a sqlite3 shell with a "
        "transaction open); close it, then start devhost again"
    )
    SqliteStore(folder).close()  # once the shell is gone, devhost opens it


def test_one_damaged_instance_does_not_stop_the_others_from_resuming(tmp_path, caplog):
    folder = tmp_path / "state"
    ids = _stored_instances(folder, 5)
    db = sqlite3.connect(folder / FILE_NAME, isolation_level=None)
    db.execute("UPDATE messages SET event = 'not json' WHERE instance_id = ?", (ids[2],))
    db.close()
    store = SqliteStore(folder)
    with caplog.at_level(logging.ERROR, logger="devhost"):
        found = store.unfinished()
    store.close()
    assert [item.record.id for item in found] == [i for i in ids if i != ids[2]]
    [line] = [r.getMessage() for r in caplog.records]
    assert line.startswith(f"devhost: the messages of instance {ids[2]} in {folder / FILE_NAME}")
    assert line.endswith(f"; instance {ids[2]} is not resumed, the others are"), line
    assert ".recover" in line


def _damage_a_middle_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))


async def test_damaged_pages_answer_a_clear_500_and_say_so_in_the_log(
    tmp_path, host_factory, apps_dir, http, caplog
):
    folder = tmp_path / "state"
    ids = _stored_instances(folder, 200, pad=600, status=h.COMPLETED)
    _damage_a_middle_page(folder / FILE_NAME)
    store = SqliteStore(folder)
    host = await host_factory("http_fixture_app", app_dir=apps_dir, store=store)
    answers: dict[int, int] = {}
    with caplog.at_level(logging.ERROR, logger="devhost"):
        for instance_id in ids:
            url = host.url(f"runtime/webhooks/durabletask/instances/{instance_id}?showHistory=true")
            async with http.get(url) as response:
                answers[response.status] = answers.get(response.status, 0) + 1
                if response.status == 500:
                    body = await response.json()
                    assert body["Message"] == "The state cannot be read"
                    assert body["ExceptionMessage"].startswith(f"{folder / FILE_NAME}")
    assert set(answers) <= {200, 202, 500} and answers.get(500, 0) >= 1, answers
    answered = [m for r in caplog.records if (m := r.getMessage()).endswith("start afresh")]
    assert len(answered) == answers[500]  # a line in the host's log for each 500


def test_a_damaged_page_leaves_every_readable_instance_to_resume(tmp_path, caplog):
    folder = tmp_path / "state"
    ids = _stored_instances(folder, 200, pad=600)
    _damage_a_middle_page(folder / FILE_NAME)
    store = SqliteStore(folder)
    with caplog.at_level(logging.ERROR, logger="devhost"):
        found = [item.record.id for item in store.unfinished()]
    store.close()
    lines = [r.getMessage() for r in caplog.records]
    assert 0 < len(lines) < 200 and len(found) + len(lines) == 200, (len(found), len(lines))
    assert all(line.endswith("is not resumed, the others are") for line in lines)
    assert found == [i for i in ids if not any(f"instance {i} is not" in m for m in lines)]


def _fill_to_the_brim(store: SqliteStore) -> None:
    """Cap the file at its size (SQLite's own "database or disk is full"), then fill it."""
    db = store._db
    db.execute("CREATE TABLE filler (x BLOB)")
    db.execute(f"PRAGMA max_page_count={db.execute('PRAGMA page_count').fetchone()[0] + 1}")
    for size in (4000, 1000, 100, 10):
        with contextlib.suppress(sqlite3.OperationalError):
            while True:
                db.execute("INSERT INTO filler VALUES (randomblob(?))", (size,))


@pytest.fixture
def app_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DURABLE_APP_DIR", str(tmp_path))
    return tmp_path


async def test_a_full_disk_pauses_the_instance_and_reports_only_what_was_stored(app_dir, caplog):
    store = SqliteStore(app_dir / "state")
    engine = DurableEngine(FunctionIndex.from_module(APP), EngineSettings(), store)
    await engine.start()
    word = "x" * 20_000  # `step` returns it ten times over: a 200 KB TaskCompleted
    try:
        await engine.start_new("waiter", "full")
        await engine.wait_idle()
        (app_dir / "hold").touch()
        await engine.raise_event("full", "go", h.dumps(word))
        await wait_until(lambda: (app_dir / "runs.log").exists(), 10, "the step started")
        _fill_to_the_brim(store)
        with caplog.at_level(logging.ERROR, logger="devhost"):
            with pytest.raises(StoreWriteError, match="the disk is full"):
                await engine.start_new("two_steps", "refused", h.dumps(word))
            (app_dir / "hold").unlink()
            await wait_until(lambda: "full" not in engine.instances, 10, "the instance paused")
        assert engine.status("full")["runtimeStatus"] == "Running"  # as stored: not Completed
        assert engine.status("refused") is None  # the refused start left nothing behind
        messages = [r.getMessage() for r in caplog.records]
        assert any("the disk is full" in m and str(store.path) in m for m in messages), messages
        assert any(m.startswith("devhost: waiter (full) is paused") for m in messages), messages
    finally:
        await engine.close()
    resumed = SqliteStore(app_dir / "state")  # room again: a new connection has no cap
    engine = DurableEngine(FunctionIndex.from_module(APP), EngineSettings(), resumed)
    await engine.start()
    try:
        assert engine.resumed == 1
        assert (await engine.wait("full", 10))["output"] == word * 10
    finally:
        await engine.close()


def test_a_read_only_file_is_reported_with_its_mode(open_folder):
    """Sanity for the forked check: the file really is read-only for that user."""
    path = open_folder / "f"
    path.write_text("x")
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    assert _as_another_user(lambda: str(os.access(path, os.W_OK))) == "False"
