"""The test API: run any Durable app on an embedded host from a test (`hosts`, the pytest plugin).

May import: every layer below (`devhost.http`, `runtime`, `work`, `replay`) and pytest.
"""

from devhost.testing.hosts import (
    DurableApp,
    DurableAppFactory,
    HostFactory,
    durable_app,
    poll_status,
    running_host,
    wait_until,
)

__all__ = [
    "DurableApp",
    "DurableAppFactory",
    "HostFactory",
    "durable_app",
    "poll_status",
    "running_host",
    "wait_until",
]
