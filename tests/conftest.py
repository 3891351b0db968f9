"""Fixtures shared by every test folder: embedded hosts and an HTTP client that clean up.

Test folders do not import each other (pytest runs in importlib mode, because the SDK ships a
top-level ``tests`` package that would shadow ours), so shared fixtures live here.
"""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest

# The `durable_app` fixture comes from devhost's pytest11 entry point (`make setup` installs
# devhost), as for any user's project: a `pytest_plugins` line here would register it twice.


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


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a dedented file under ``tmp_path`` and return its path."""

    def write_file(relative: str, source: str) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
        return path

    return write_file
