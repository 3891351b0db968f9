"""The persistent store: one SQLite file in the app's `.devhost/` folder (like Azurite's data).

Tables mirror what DurableTask.AzureStorage keeps: `instances` (the Instances table: one status
row each), `history` (the History table: the current execution's events in order) and
`messages` (the control queue: client messages not consumed yet). One episode is one
transaction (`checkpoint`), as DTFx's `TaskOrchestrationDispatcher` commits an episode's history,
messages and status together. WAL journal with synchronous=NORMAL: a commit survives a killed
process (not a power cut), and costs no fsync per episode.

One host at a time: the connection holds SQLite's exclusive lock until it closes (the OS frees
it when a process dies), so a second host on the same folder stops with `StoreLockedError`
instead of processing the same instances twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from devhost.replay import history as h
from devhost.replay.counters import InstanceCounters
from devhost.replay.instance import InstanceRecord, Message, ParentLink
from devhost.runtime.state_folder import claim_folder, damaged_row, explain, has_content, wal
from devhost.runtime.store import (
    Checkpoint,
    StoreDamagedError,
    StoreError,
    Unfinished,
)

log = logging.getLogger("devhost")

FILE_NAME = "state.sqlite3"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS instances (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, execution_id TEXT NOT NULL,
    status INTEGER NOT NULL, generation INTEGER NOT NULL,
    created TEXT NOT NULL, last_updated TEXT NOT NULL,
    input TEXT, output TEXT, failure_details TEXT, custom_status TEXT, parent TEXT, counters TEXT
);
CREATE INDEX IF NOT EXISTS instances_by_status ON instances (status);
CREATE TABLE IF NOT EXISTS history (
    instance_id TEXT NOT NULL, position INTEGER NOT NULL, event TEXT NOT NULL,
    PRIMARY KEY (instance_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id TEXT NOT NULL, execution_id TEXT, event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_instance ON messages (instance_id);
"""
_COLUMNS = (
    "id, name, execution_id, status, generation, created, last_updated, input, output, "
    "failure_details, custom_status, parent, counters"
)
_READ_CHUNK, _MAX_READ_CHUNK = 101, 1_000  # a default page (100) and the next page's first id
_TERMINAL = ",".join(str(s) for s in sorted(h.TERMINAL_STATUSES))


class SqliteStore:
    """Instances, histories and client messages in `<folder>/state.sqlite3`."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / FILE_NAME
        self._closed = True
        self._lock = claim_folder(self.folder)
        try:
            self._db = self._open()
        except BaseException:
            self._lock.close()
            raise
        self._closed = False

    def _open(self) -> sqlite3.Connection:
        """Connect, take SQLite's exclusive lock for the host's life, and create the tables."""
        if self.path.exists() and self.path.stat().st_size == 0 and not has_content(wal(self.path)):
            raise StoreDamagedError(
                f"{self.path} is empty (0 bytes): devhost never leaves it so, so it was "
                "truncated or copied without its data; restore it from a copy (with its "
                f"{wal(self.path).name} file), or move it aside to start afresh"
            )
        db = sqlite3.connect(self.path, isolation_level=None, timeout=0.2, check_same_thread=False)
        try:
            db.execute("PRAGMA locking_mode=EXCLUSIVE")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("BEGIN IMMEDIATE")  # takes the exclusive lock now, and keeps it
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise StoreError(
                    f"{self.path} has schema {version}, devhost expects {SCHEMA_VERSION}: "
                    f"move the folder {self.folder} aside to start afresh"
                )
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            db.close()
            raise self._error(exc, "open") from None
        except BaseException:
            db.close()
            raise
        return db

    def _error(self, exc: sqlite3.Error, doing: str) -> StoreError:
        """One line for a failed SQLite call: the file, the cause, the safe next step."""
        return explain(exc, self.path, doing)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction; a failed one is rolled back and raised as StoreWriteError."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                    self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            error = self._error(exc, "write")
            log.error("devhost: %s", error)
            raise error from None

    @contextlib.contextmanager
    def _reading(self, what: str) -> Iterator[None]:
        """Reads of one instance; damage is raised as StoreDamagedError (the caller logs it)."""
        try:
            yield
        except sqlite3.Error as exc:
            error = self._error(exc, "read")
        except (ValueError, KeyError, TypeError) as exc:  # a row that is not what devhost wrote
            error = damaged_row(self.path, what, f"a row that is not devhost's JSON: {exc}")
        else:
            return
        raise error from None

    # -- writes ------------------------------------------------------------------------------
    def create(self, record: InstanceRecord, message: Message) -> Message:
        with self._transaction():
            self._delete(record.id)
            self._write_record(record)
            return self._enqueue(record.id, message)

    def enqueue(self, instance_id: str, message: Message) -> Message:
        with self._transaction():
            return self._enqueue(instance_id, message)

    def checkpoint(self, checkpoint: Checkpoint) -> None:
        record, first_new = checkpoint.record, checkpoint.first_new
        rows = [
            (record.id, position, event.text)
            for position, event in enumerate(checkpoint.history[first_new:], first_new)
        ]
        with self._transaction():
            self._write_record(record)
            if first_new == 0:
                self._db.execute("DELETE FROM history WHERE instance_id = ?", (record.id,))
            self._db.executemany("INSERT OR REPLACE INTO history VALUES (?, ?, ?)", rows)
            self._db.executemany(
                "DELETE FROM messages WHERE seq = ?", [(seq,) for seq in checkpoint.consumed]
            )

    def purge(self, instance_id: str) -> int:
        with self._transaction():
            return self._delete(instance_id)

    def purge_finished_before(self, moment: datetime) -> int:
        with self._transaction():
            ids = self._db.execute(
                f"SELECT id FROM instances WHERE status IN ({_TERMINAL}) AND created < ?",
                (moment.isoformat(),),
            ).fetchall()
            return sum(self._delete(instance_id) for (instance_id,) in ids)

    def close(self) -> None:
        """Close the file and free the lock; safe to call twice."""
        if not self._closed:
            self._closed = True
            self._db.close()
            self._lock.close()

    # -- reads -------------------------------------------------------------------------------
    def record(self, instance_id: str) -> InstanceRecord | None:
        with self._reading(f"instance {instance_id}"):
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM instances WHERE id = ?", (instance_id,)
            ).fetchone()
            return None if row is None else _record(row)

    def history(self, instance_id: str) -> list[h.Event]:
        with self._reading(f"the history of instance {instance_id}"):
            rows = self._db.execute(
                "SELECT event FROM history WHERE instance_id = ? ORDER BY position",
                (instance_id,),
            )
            return [h.Event.loads(text) for (text,) in rows]

    def records(self, start: str = "") -> Iterator[InstanceRecord]:
        """Every instance from id `start` on, in id order, read a chunk at a time (a page of
        the status list reads about as many rows as it shows)."""
        query = f"SELECT {_COLUMNS} FROM instances WHERE id >= ? ORDER BY id LIMIT ?"
        chunk = _READ_CHUNK
        while True:
            with self._reading(f"the instances from {start!r}"):
                rows = self._db.execute(query, (start, chunk)).fetchall()
            for row in rows:
                with self._reading(f"instance {row[0]}"):
                    yield _record(row)
            if len(rows) < chunk:
                return
            start, chunk = rows[-1][0] + "\0", min(chunk * 2, _MAX_READ_CHUNK)

    def unfinished(self) -> list[Unfinished]:
        """Every unfinished instance that can be read; one whose rows are damaged is logged
        (file, cause, next step) and left out, so it never stops the others."""
        try:
            with self._reading("the list of unfinished instances"):
                ids = self._db.execute(
                    f"SELECT id FROM instances WHERE status NOT IN ({_TERMINAL}) ORDER BY id"
                ).fetchall()
        except StoreDamagedError:  # a damaged page on the way: ask the id index, one by one
            ids = [(i,) for i in self._ids_by_index()]
        found = []
        for (instance_id,) in ids:
            try:
                item = self._unfinished(instance_id)
            except StoreDamagedError as exc:
                log.error(
                    "devhost: %s; instance %s is not resumed, the others are", exc, instance_id
                )
                continue
            if item is not None:
                found.append(item)
        return found

    def _ids_by_index(self) -> list[str]:
        """Every instance id, from the primary key's index alone (not the rows' pages)."""
        with self._reading("the instance ids"):
            return [i for (i,) in self._db.execute("SELECT id FROM instances ORDER BY id")]

    def _unfinished(self, instance_id: str) -> Unfinished | None:
        record = self.record(instance_id)
        if record is None or record.terminal:
            return None
        with self._reading(f"the messages of instance {instance_id}"):
            messages = [
                Message(h.Event.loads(event), execution_id, seq)
                for seq, execution_id, event in self._db.execute(
                    "SELECT seq, execution_id, event FROM messages WHERE instance_id = ? "
                    "ORDER BY seq",
                    (instance_id,),
                )
            ]
        return Unfinished(record, self.history(instance_id), messages)

    # -- rows --------------------------------------------------------------------------------
    def _enqueue(self, instance_id: str, message: Message) -> Message:
        cursor = self._db.execute(
            "INSERT INTO messages (instance_id, execution_id, event) VALUES (?, ?, ?)",
            (instance_id, message.execution_id, message.event.text),
        )
        return Message(message.event, message.execution_id, cursor.lastrowid)

    def _write_record(self, r: InstanceRecord) -> None:
        counters = h.dumps(r.counters.as_dict()) if r.terminal else None
        self._db.execute(
            f"INSERT OR REPLACE INTO instances ({_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                r.id,
                r.name,
                r.execution_id,
                r.status,
                r.generation,
                r.created.isoformat(),
                r.last_updated.isoformat(),
                r.input_text,
                r.output_text,
                r.failure_details,
                None if r.custom_status is None else h.dumps(r.custom_status),
                None if r.parent is None else h.dumps(_parent_json(r.parent)),
                counters,
            ),
        )

    def _delete(self, instance_id: str) -> int:
        self._db.execute("DELETE FROM history WHERE instance_id = ?", (instance_id,))
        self._db.execute("DELETE FROM messages WHERE instance_id = ?", (instance_id,))
        return self._db.execute("DELETE FROM instances WHERE id = ?", (instance_id,)).rowcount


def _parent_json(parent: ParentLink) -> dict[str, Any]:
    return {"i": parent.instance_id, "e": parent.execution_id, "t": parent.task_id}


def _record(row: tuple[Any, ...]) -> InstanceRecord:
    (id_, name, execution_id, status, generation, created, updated) = row[:7]
    input_text, output, failure, custom, parent, counters = row[7:]
    p = json.loads(parent) if parent else None
    return InstanceRecord(
        id=id_,
        name=name,
        execution_id=execution_id,
        created=datetime.fromisoformat(created),
        last_updated=datetime.fromisoformat(updated),
        status=status,
        generation=generation,
        input_text=input_text,
        output_text=output,
        failure_details=failure,
        custom_status=None if custom is None else json.loads(custom),
        parent=None if p is None else ParentLink(p["i"], p["e"], p["t"]),
        counters=InstanceCounters.from_dict(json.loads(counters))
        if counters
        else InstanceCounters(),
    )
