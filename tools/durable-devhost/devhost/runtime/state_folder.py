"""The state folder's own failures, each said in one line: the file, the cause, the next step.

A state folder can be read-only, full, damaged, truncated, or held by another program. Each
case has one safe next step, and "delete the folder" is never it while the folder may hold
instances: permissions are fixed with chmod, a damaged file is recovered or moved aside with
its `-wal` file (the last committed episodes live there until SQLite checkpoints them).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import IO

from devhost.runtime.store import StoreDamagedError, StoreError, StoreLockedError, StoreWriteError

try:
    import fcntl
except ImportError:  # Windows: SQLite's own lock still keeps a second host out
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "host.lock"
IGNORE_TEXT = "# devhost's state: instances and their history.\n*\n"


def wal(path: Path) -> Path:
    """SQLite's write-ahead log beside the file: committed episodes not yet copied in."""
    return path.with_name(path.name + "-wal")


def has_content(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def claim_folder(folder: Path) -> IO[str]:
    """Create the folder (it ignores itself in git) and hold its lock file for the host's life.

    The lock file names the host's process, so a second devhost is told which one holds the
    folder; another program holding the SQLite file (a sqlite3 shell in a transaction) is told
    apart by SQLite's own lock (`explain`).
    """
    if folder.exists() and not folder.is_dir():
        raise StoreError(f"the state folder {folder} is a file: give --state-dir a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text(IGNORE_TEXT)
        lock = open(folder / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115 (held until close)
    except PermissionError as exc:
        raise StoreError(_permissions(Path(exc.filename or folder), "write")) from None
    except OSError as exc:
        raise StoreError(
            f"the state folder {folder} cannot be used: {exc.strerror or exc}"
        ) from None
    if fcntl is None:
        return lock
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.seek(0)
        holder = lock.read().strip() or "unknown"
        lock.close()
        raise StoreLockedError(
            f"the state in {folder} is in use by another devhost (process {holder}); stop that "
            "one first, or give this one another --state-dir"
        ) from None
    with contextlib.suppress(OSError):  # the pid is a courtesy; the lock is what counts
        lock.truncate(0)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
    return lock


def explain(exc: sqlite3.Error, path: Path, doing: str) -> StoreError:
    """The error to raise for a failed SQLite call on `path` while `doing` (open, read, write)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF  # the primary result code
    text = str(exc)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
        return StoreLockedError(
            f"{path} is held by another program (for example a sqlite3 shell with a "
            "transaction open); close it, then start devhost again"
        )
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreDamagedError(_damaged(path, text))
    if code == sqlite3.SQLITE_FULL:
        return StoreWriteError(
            f"cannot {doing} {path}: the disk is full; free space on it and devhost carries "
            "on from the last stored episode (nothing stored is lost)"
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) or _read_only(path):
        return StoreWriteError(_permissions(path, doing))
    kind = StoreWriteError if doing == "write" else StoreError
    return kind(f"cannot {doing} {path}: {text} (SQLite error {code}); check the disk")


def _damaged(path: Path, cause: str) -> str:
    return (
        f"{path} is damaged ({cause}); keep a copy of it with its {wal(path).name} file, then "
        f"recover what it holds with `sqlite3 {path} .recover | sqlite3 recovered.sqlite3`, "
        "or move the folder aside to start afresh"
    )


def damaged_row(path: Path, what: str, cause: str) -> StoreDamagedError:
    """One instance's rows cannot be read; the others can."""
    return StoreDamagedError(f"{what} in {_damaged(path, cause)}")


def _read_only(path: Path) -> bool:
    """Whether this user may not write the file, its folder or its WAL (root may write all)."""
    candidates = (path.parent, path, wal(path), path.with_name(path.name + "-shm"))
    return any(p.exists() and not os.access(p, os.W_OK) for p in candidates)


def _permissions(path: Path, doing: str) -> str:
    return (
        f"cannot {doing} {path}: it is read-only for this user (permissions). Its data is "
        f"intact: give this user write access to it and its folder (chmod u+w), then start "
        "devhost again; do not delete it"
    )
