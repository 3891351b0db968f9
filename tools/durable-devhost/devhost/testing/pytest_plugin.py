"""pytest fixtures for testing a Durable Functions app on the embedded host.

Installing devhost registers this plugin (the `pytest11` entry point in its pyproject.toml), so
a project needs no conftest.py line. The fixtures are async: they need pytest-asyncio or
pytest-aiohttp, in auto mode or with `@pytest.mark.asyncio`:

    async def test_hello(durable_app):
        app = await durable_app("path/to/app")
        status = await app.run("hello_sequence", ["Tokyo"])
        assert status.runtime_status.name == "Completed"

The host is imported when a test first asks for the fixture, not when pytest starts: every
pytest run in an environment with devhost installed loads this module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from devhost.testing.hosts import DurableAppFactory


@pytest.fixture
async def durable_app() -> AsyncIterator[DurableAppFactory]:
    """A factory of `DurableApp`s (one embedded host each), all closed at teardown."""
    from devhost.testing.hosts import DurableAppFactory

    factory = DurableAppFactory()
    try:
        yield factory
    finally:
        await factory.aclose()
