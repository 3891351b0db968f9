"""Fixtures for the embedded host's HTTP-level tests.

`host_factory` and `http` come from tests/conftest.py; the replay engine's own fixtures live in
tests/devhost/replay/conftest.py. Fixture apps live in tests/devhost/apps/ and are imported as
top-level modules from that folder: the SDK ships a top-level `tests` package that would shadow
ours. `host` serves apps/http_fixture_app.py; a test module may override it with another app.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

APPS_DIR = Path(__file__).parent / "apps"


def _load(name: str) -> Any:
    """A helper module of this folder (test folders are not packages in importlib mode)."""
    spec = importlib.util.spec_from_file_location(
        f"devhost_tests_{name}", Path(__file__).with_name(f"{name}.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def apps_dir() -> Path:
    return APPS_DIR


@pytest.fixture
async def host(host_factory, apps_dir):
    """An embedded host serving apps/http_fixture_app.py, closed at teardown."""
    return await host_factory("http_fixture_app", app_dir=apps_dir)


@pytest.fixture
def serve_tools() -> Iterator[Any]:
    """Start `python -m devhost serve` subprocesses (`serve_process.py`); killed at teardown."""
    tools = _load("serve_process").ServeTools()
    try:
        yield tools
    finally:
        tools.close()
