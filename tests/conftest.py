"""Fixtures shared by every test folder: embedded hosts and an HTTP client that clean up.

Test folders do not import each other (pytest runs in importlib mode, because the SDK ships a
top-level ``tests`` package that would shadow ours), so shared fixtures live here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

# The `durable_app` fixture, enabled as docs/testing-your-app.md tells users to enable it.
pytest_plugins = ["devhost.testing.pytest_plugin"]


@pytest.fixture
async def host_factory() -> AsyncIterator[object]:
    """``await host_factory(module, env=..., settings=...)``; every host is closed at teardown."""
    from devhost.testing import HostFactory

    factory = HostFactory()
    try:
        yield factory
    finally:
        await factory.aclose()


@pytest.fixture
async def app_host(host_factory):
    """This repository's app on a fresh embedded host, billing latency 0 (no count needs it)."""
    from app_settings import FAKE_BILLING_LATENCY_MS

    return await host_factory("function_app", env={FAKE_BILLING_LATENCY_MS: "0"})


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain client session, as an outside caller (curl, a browser) would use."""
    async with aiohttp.ClientSession() as session:
        yield session
