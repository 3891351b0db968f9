"""Helpers in another module, called by strict_app's orchestrators: what durable_lint cannot follow.

Each line marked ``# strict: DURnnn`` is where ``--strict`` must report that code.
"""

import os
import socket
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path


def ping(address: list) -> None:
    socket.create_connection(tuple(address), timeout=5).close()  # strict: DUR001


def read_config(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")  # strict: DUR005


def run_tool() -> None:
    subprocess.run(["true"], check=True)  # strict: DUR006


def today() -> str:
    return datetime.now(UTC).date().isoformat()  # strict: DUR003


def new_id() -> str:
    return str(uuid.uuid4())  # strict: DUR004


def setting() -> str | None:
    return os.getenv("STRICT_SETTING")  # strict: DUR005


def everything(address: list, path: str) -> list:
    """All of the above at once: what an activity may do (quiet under --strict)."""
    ping(address)
    return [read_config(path), run_tool(), today(), new_id(), setting(), os.system("true")]
