"""Run the real app's orchestrators on the embedded host and collect what the model predicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from contract import IDEMPOTENCY_KEY_HEADER
from devhost.testing import poll_status

LEDGER_FIGURES = ("received", "distinct_invoices", "billed", "duplicates")


@dataclass
class Run:
    """What one orchestration did: its status, the host's counters and the billing API's view."""

    status: dict[str, Any]
    counters: Any
    ledger: dict[str, int]  # all the billing API's per-run figures, charges and duplicates too
    history: list[dict[str, Any]]

    @property
    def billing(self) -> dict[str, int]:
        """Received and distinct invoices, as the README's table shows them."""
        return {name: self.ledger[name] for name in ("received", "distinct_invoices")}


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
        ledger = by_run.get(links["id"], dict.fromkeys(LEDGER_FIGURES, 0))
        return Run(
            status=status,
            counters=host.engine.counters(links["id"]),
            ledger=ledger,
            history=host.engine.history(links["id"]),
        )

    return run


class FaultyBillingAPI:
    """A billing stand-in that fails on purpose, and honours ``Idempotency-Key`` as a payment
    API does (a repeated key gets the first answer and is not charged again).

    - ``fail_first``: the first attempt at every invoice answers 503 (nothing charged);
    - ``always_fail``: these invoice ids always answer 503;
    - ``close_every``: every k-th request is charged, then its connection is closed before
      the answer (the worst case: billed, but the caller sees a transport error).

    Binds port 0 on loopback; ``async with`` it; ``close()`` is safe to call twice.
    """

    def __init__(
        self,
        *,
        fail_first: bool = False,
        always_fail: frozenset[str] = frozenset(),
        close_every: int = 0,
    ) -> None:
        self.fail_first, self.always_fail, self.close_every = fail_first, always_fail, close_every
        self.received = 0
        self.attempts: dict[str, int] = {}  # invoice id -> requests
        self.keys: dict[str, set[str | None]] = {}  # invoice id -> idempotency keys seen
        self.charges: dict[str, int] = {}  # invoice id -> times charged
        self.duplicates = 0
        self._answers: dict[str, dict[str, Any]] = {}
        app = web.Application()
        app.router.add_post("/invoices", self._submit)
        self._server = TestServer(app, host="127.0.0.1")

    @property
    def url(self) -> str:
        return str(self._server.make_url("/invoices"))

    async def __aenter__(self) -> FaultyBillingAPI:
        await self._server.start_server()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._server.close()

    def figures(self) -> dict[str, int]:
        """received / billed (charges) / duplicates, as the stand-in billing API reports them."""
        billed = sum(self.charges.values())
        return {"received": self.received, "billed": billed, "duplicates": self.duplicates}

    async def _submit(self, request: web.Request) -> web.StreamResponse:
        invoice_id = (await request.json())["invoice_id"]
        key = request.headers.get(IDEMPOTENCY_KEY_HEADER)
        self.received += 1
        self.attempts[invoice_id] = self.attempts.get(invoice_id, 0) + 1
        self.keys.setdefault(invoice_id, set()).add(key)
        if invoice_id in self.always_fail or (self.fail_first and self.attempts[invoice_id] == 1):
            return web.json_response({"error": "try again"}, status=503)
        if key is not None and key in self._answers:
            self.duplicates += 1
            return web.json_response(self._answers[key], status=201)
        self.charges[invoice_id] = self.charges.get(invoice_id, 0) + 1
        answer = {"invoice_id": invoice_id, "charge_id": f"ch_{self.received}"}  # a receipt
        if key is not None:
            self._answers[key] = answer
        if self.close_every and self.received % self.close_every == 0:
            assert request.transport is not None
            request.transport.abort()  # charged, but the caller never hears about it
        return web.json_response(answer, status=201)


@pytest.fixture
async def faulty_billing():
    """``async with faulty_billing(fail_first=..., always_fail=..., close_every=...)``."""
    return FaultyBillingAPI
