"""Fixtures for the embedded host's HTTP-level tests: host factories that clean up after themselves.

(The replay engine's own fixtures live in tests/devhost/replay/conftest.py.) Fixture apps live in
tests/devhost/apps/ and are imported as top-level modules from that folder: the SDK ships a
top-level `tests` package that would shadow ours.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

APPS_DIR = Path(__file__).parent / "apps"


@pytest.fixture
async def host_factory() -> AsyncIterator[Any]:
    """`await host_factory(module, app_dir=, env=, settings=)`; all closed at teardown."""
    from devhost.testing import HostFactory

    factory = HostFactory()
    try:
        yield factory
    finally:
        await factory.aclose()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain client session, as an outside caller (curl, a browser) would use."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def apps_dir() -> Path:
    return APPS_DIR
