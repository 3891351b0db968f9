"""Run the real app's orchestrators on the embedded host and collect what the model predicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from devhost.testing import poll_status


@dataclass
class Run:
    """What one orchestration did: its status, the host's counters and the billing API's view."""

    status: dict[str, Any]
    counters: Any
    billing: dict[str, int]
    history: list[dict[str, Any]]


@pytest.fixture
async def app_host(host_factory):
    """The real app on a fresh embedded host, billing latency 0 (counts do not depend on it)."""
    return await host_factory("function_app", env={"FAKE_BILLING_LATENCY_MS": "0"})


@pytest.fixture
def run_orchestrator(http):
    """``await run_orchestrator(host, name, body)`` -> ``Run`` once the instance is terminal."""

    async def run(host, name: str, body: dict[str, Any]) -> Run:
        async with http.post(host.url(f"api/orchestrators/{name}"), json=body) as response:
            assert response.status == 202, await response.text()
            links = await response.json()
        status = await poll_status(http, links["statusQueryGetUri"], timeout=120)
        async with http.get(host.url("api/billing/stats")) as response:
            by_run = (await response.json())["by_run"]
        return Run(
            status=status,
            counters=host.engine.counters(links["id"]),
            billing=by_run.get(links["id"], {"received": 0, "distinct_invoices": 0}),
            history=host.engine.history(links["id"]),
        )

    return run
