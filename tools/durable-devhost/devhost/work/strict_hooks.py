"""The process-wide half of `--strict`: which thread runs watched code, and the hooks that tell it.

An audit hook cannot be removed (PEP 578), and `os.environ`'s read methods are shared by every
thread, so both are installed once per process and stay. Each costs one truth test of an empty
dict while nothing is watched, and one dictionary lookup per event while something is: the
host's own threads, activities and starters are never reported, because only a thread that
registered a watch (strict.py, for the duration of one SDK call) is asked.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any, Protocol

from devhost.work.strict_targets import ENV_METHODS


class Watch(Protocol):
    active: bool  # True only while the user's orchestrator code runs

    def audit(self, event: str, args: tuple[Any, ...]) -> None: ...

    def env_read(self, frame: FrameType, key: Any) -> None: ...


_on_thread: dict[int, Watch] = {}  # thread id -> the watch of the SDK call it runs
_lock = threading.Lock()
_installed = False


def enter(watch: Watch) -> None:
    """This thread runs an orchestrator handle for `watch` until `leave()`."""
    _on_thread[threading.get_ident()] = watch


def leave() -> None:
    del _on_thread[threading.get_ident()]


def current() -> Watch:
    """The watch this thread registered (only called from inside a watched handle)."""
    return _on_thread[threading.get_ident()]


def _active() -> Watch | None:
    watch = _on_thread.get(threading.get_ident())
    return watch if watch is not None and watch.active else None


def _audit_hook(event: str, args: tuple[Any, ...]) -> None:
    if _on_thread and (watch := _active()) is not None:
        watch.audit(event, args)


def _watched_env_read(read: Callable[..., Any]) -> Callable[..., Any]:
    def env_read(environ: Any, *args: Any) -> Any:
        if _on_thread and (watch := _active()) is not None:
            watch.env_read(sys._getframe(1), args[0] if args else None)
        return read(environ, *args)

    return env_read


def install() -> None:
    """Once per process: the audit hook and the wrapped `os.environ` read methods."""
    global _installed
    with _lock:
        if not _installed:
            sys.addaudithook(_audit_hook)
            environ_type = type(os.environ)
            for name in ENV_METHODS:
                setattr(environ_type, name, _watched_env_read(getattr(environ_type, name)))
            _installed = True
