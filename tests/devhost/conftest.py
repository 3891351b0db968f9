"""Fixtures for the embedded host's HTTP-level tests.

`host_factory` and `http` come from tests/conftest.py; the replay engine's own fixtures live in
tests/devhost/replay/conftest.py. Fixture apps live in tests/devhost/apps/ and are imported as
top-level modules from that folder: the SDK ships a top-level `tests` package that would shadow
ours. `host` serves apps/http_fixture_app.py; a test module may override it with another app.
"""

from __future__ import annotations

from pathlib import Path

import pytest

APPS_DIR = Path(__file__).parent / "apps"


@pytest.fixture
def apps_dir() -> Path:
    return APPS_DIR


@pytest.fixture
async def host(host_factory, apps_dir):
    """An embedded host serving apps/http_fixture_app.py, closed at teardown."""
    return await host_factory("http_fixture_app", app_dir=apps_dir)
