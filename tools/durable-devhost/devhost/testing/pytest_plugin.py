"""pytest fixtures for testing a Durable Functions app on the embedded host.

Enable them in your conftest.py with `pytest_plugins = ["devhost.testing.pytest_plugin"]` (they need
pytest-asyncio or pytest-aiohttp, in auto mode or with `@pytest.mark.asyncio`):

    async def test_hello(durable_app):
        app = await durable_app("path/to/app")
        status = await app.run("hello_sequence", ["Tokyo"])
        assert status.runtime_status.name == "Completed"
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from devhost.testing.hosts import DurableAppFactory


@pytest.fixture
async def durable_app() -> AsyncIterator[DurableAppFactory]:
    """A factory of `DurableApp`s (one embedded host each), all closed at teardown."""
    factory = DurableAppFactory()
    try:
        yield factory
    finally:
        await factory.aclose()
