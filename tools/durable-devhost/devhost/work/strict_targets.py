"""What `--strict` watches, the durable_lint code of each, and whose code a stack frame is.

Three tables. Audit events (`sys.audit`, PEP 578) cover I/O wherever it happens: a library
that connects under the hood is reported at the app line that called it. The sources of
non-determinism that raise no audit event are C callables, seen by the profile hook (`c_call`
events), and `os.environ`'s two read methods, wrapped once per process. Those count only when
the app itself calls them (maybe through the stdlib wrappers named in `_THROUGH`, such as
`random.randint` or `uuid.uuid4`), so the timestamp `logging` takes or the proxy variables
`requests` reads are never reported.
Codes are durable_lint's (durable_lint/rules/codes.py), so both tools name a mistake alike.
"""

from __future__ import annotations

import datetime
import os
import random
import sysconfig
import time
from enum import Enum
from pathlib import Path
from typing import Any

IO, BLOCKING_WAIT, WALL_CLOCK, RANDOM, ENV_OR_FILE, PROCESS = (
    "DUR001",
    "DUR002",
    "DUR003",
    "DUR004",
    "DUR005",
    "DUR006",
)

# Audit event -> code (https://docs.python.org/3/library/audit_events.html).
AUDIT_EVENTS: dict[str, str] = {
    "socket.connect": IO,
    "socket.getaddrinfo": IO,
    "socket.gethostbyname": IO,
    "socket.gethostbyaddr": IO,
    "socket.bind": IO,
    "socket.sendto": IO,
    "open": ENV_OR_FILE,
    "os.listdir": ENV_OR_FILE,
    "os.scandir": ENV_OR_FILE,
    "subprocess.Popen": PROCESS,
    "os.system": PROCESS,
    "os.exec": PROCESS,
    "os.posix_spawn": PROCESS,
    "os.spawn": PROCESS,
    "os.fork": PROCESS,
}

# C callables -> (code, name). Bound methods compare equal when self and function match, so
# `random.random` is the shared generator's, and a seeded `random.Random(seed)` stays quiet.
C_CALLS: dict[Any, tuple[str, str]] = {
    datetime.datetime.now: (WALL_CLOCK, "datetime.now"),
    datetime.datetime.utcnow: (WALL_CLOCK, "datetime.utcnow"),
    datetime.datetime.today: (WALL_CLOCK, "datetime.today"),
    datetime.date.today: (WALL_CLOCK, "date.today"),
    time.time: (WALL_CLOCK, "time.time"),
    time.time_ns: (WALL_CLOCK, "time.time_ns"),
    time.monotonic: (WALL_CLOCK, "time.monotonic"),
    time.monotonic_ns: (WALL_CLOCK, "time.monotonic_ns"),
    time.perf_counter: (WALL_CLOCK, "time.perf_counter"),
    time.perf_counter_ns: (WALL_CLOCK, "time.perf_counter_ns"),
    time.sleep: (BLOCKING_WAIT, "time.sleep"),  # Python 3.11 raises no audit event for it
    random.random: (RANDOM, "random.random"),
    random.getrandbits: (RANDOM, "random.getrandbits"),
    os.urandom: (RANDOM, "os.urandom"),
}
if hasattr(os, "getrandom"):
    C_CALLS[os.getrandom] = (RANDOM, "os.getrandom")

# os.environ's reads all go through these two methods; strict.py wraps them once per process.
ENV_METHODS = ("__getitem__", "__iter__")


class Owner(Enum):
    """Whose code a frame runs, which decides what an event found under it means."""

    APP = "app"  # the user's code: report here
    THROUGH = "through"  # a stdlib wrapper of a watched source (random.randint, os.getenv)
    LIBRARY = "library"  # stdlib or third party: I/O under it is reported at the app frame
    HOST = "host"  # the SDK, devhost, imports, logging: their own work, never reported


_STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()
_DEVHOST = Path(__file__).resolve().parent
_THROUGH = frozenset({"os.py", "random.py", "uuid.py", "secrets.py", "_collections_abc.py"})
_HOST_STDLIB = frozenset(
    {"logging", "importlib", "linecache.py", "traceback.py", "warnings.py", "tokenize.py"}
)
_HOST_PACKAGES = (("azure", "durable_functions"), ("azure", "functions"))
_owners: dict[str, Owner] = {}


def owner(filename: str) -> Owner:
    """Classify a code object's file name (cached; every frame of a stack goes through here)."""
    found = _owners.get(filename)
    if found is None:
        found = _owners[filename] = _classify(filename)
    return found


def _classify(filename: str) -> Owner:
    if filename.startswith("<"):
        if filename.startswith(("<frozen importlib", "<frozen zipimport")):
            return Owner.HOST
        name = filename.removeprefix("<frozen ").rstrip(">") + ".py"
        return Owner.THROUGH if name in _THROUGH else Owner.LIBRARY
    path = Path(filename).resolve()
    parts = path.parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            inside = parts[parts.index(marker) + 1 :]
            host = any(inside[: len(p)] == p for p in _HOST_PACKAGES)
            return Owner.HOST if host else Owner.LIBRARY
    if path.is_relative_to(_DEVHOST):
        return Owner.HOST
    if path.is_relative_to(_STDLIB):
        top = path.relative_to(_STDLIB).parts[0]
        if top in _HOST_STDLIB:
            return Owner.HOST
        return Owner.THROUGH if top in _THROUGH else Owner.LIBRARY
    return Owner.APP


def describe(event: str, args: tuple[Any, ...]) -> str:
    """What happened, short: `socket.connect 127.0.0.1:7071`. Commands show their program only."""
    detail = ""
    if event in ("socket.connect", "socket.bind", "socket.sendto") and len(args) >= 2:
        detail = _address(args[-1])
    elif event == "socket.getaddrinfo" and len(args) >= 2:
        detail = _address((args[0], args[1]))
    elif event in ("open", "os.listdir", "os.scandir", "socket.gethostbyname") and args:
        detail = str(args[0]) if event != "open" else f"{args[0]} ({args[1] or 'os.open'})"
    elif event == "subprocess.Popen" and len(args) >= 2:
        detail = _program(args[0] or args[1])
    elif event in ("os.system", "os.exec", "os.posix_spawn") and args:
        detail = _program(args[0])
    elif event == "os.spawn" and len(args) >= 2:
        detail = _program(args[1])
    text = f"{event} {detail}".strip()
    return text if len(text) <= 120 else text[:117] + "..."


def _address(address: Any) -> str:
    if isinstance(address, tuple) and len(address) >= 2:
        host = address[0].decode() if isinstance(address[0], bytes) else address[0]
        return f"{host}:{address[1]}"
    return str(address)


def _program(command: Any) -> str:
    """The program of a command line, not its arguments (they may carry secrets)."""
    if isinstance(command, list | tuple):
        command = command[0] if command else ""
    if isinstance(command, bytes):
        command = command.decode(errors="replace")
    words = str(command).split()
    return words[0] if words else ""
