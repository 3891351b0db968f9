"""The test API: any Durable app on an embedded host, from a test (`hosts`, the pytest plugin).

May import: devhost.replay, devhost.work, devhost.runtime, devhost.http; pytest, aiohttp, SDKs.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DurableApp",
    "DurableAppFactory",
    "HostFactory",
    "durable_app",
    "poll_status",
    "running_host",
    "wait_until",
]


def __getattr__(name: str) -> Any:
    """The names of `hosts`, imported on first use: pytest loads the plugin beside it at start-up
    in every project that installs devhost, and that must not import the whole host."""
    if name not in __all__:
        raise AttributeError(f"module 'devhost.testing' has no attribute {name!r}")
    if name == "wait_until":
        from devhost.work.waiting import wait_until

        return wait_until
    from devhost.testing import hosts

    return getattr(hosts, name)
