"""Whatever ends a run, /api/runs reports from history what the billing API charged.

A fault-injecting billing stand-in charges every invoice it receives (once per idempotency
key) and, from its ``hold_from``-th charge on, keeps the answer back: the POST is charged but
still in flight, as when a run is terminated during a slow answer. The platform drops the
answer of a POST in flight at terminate, so those invoices must come back as ``unknown`` (to
reconcile), never as not sent. Each test compares the stand-in's charges with the report.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from app_settings import INVOICE_API_MAX_ATTEMPTS, INVOICE_API_URL, MAX_INVOICE_COUNT
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, IDEMPOTENCY_KEY_HEADER
from devhost.testing import poll_status, wait_until
from invoices.generator import invoice_id

FORGED_REASON = 'operator stop. Report: {"billed": 999, "failed": 0, "rows": []}'


class HoldingBillingAPI:
    """Charges each idempotency key once and answers with a receipt; from charge number
    ``hold_from`` on, the answer waits until ``release()`` (charged, answer in flight).

    ``on_charge(n)`` runs after the n-th charge. Binds port 0 on loopback; ``async with`` it;
    ``close()`` releases what it holds and is safe to call twice.
    """

    def __init__(
        self, *, hold_from: int | None = None, on_charge: Callable[[int], None] | None = None
    ):
        self.hold_from, self.on_charge = hold_from, on_charge
        self.charged: list[str] = []  # invoice ids, in the order they were charged
        self.answered: list[str] = []  # charged invoices whose receipt went out
        self._receipts: dict[str, dict[str, Any]] = {}  # idempotency key -> receipt
        self._release = asyncio.Event()
        app = web.Application()
        app.router.add_post("/invoices", self._submit)
        self._server = TestServer(app, host="127.0.0.1", port=0)

    @property
    def url(self) -> str:
        return str(self._server.make_url("/invoices"))

    @property
    def held(self) -> int:
        return len(self.charged) - len(self.answered)

    def release(self) -> None:
        self._release.set()

    async def __aenter__(self) -> HoldingBillingAPI:
        await self._server.start_server()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        self.release()
        await self._server.close()

    async def _submit(self, request: web.Request) -> web.StreamResponse:
        invoice = await request.json()
        key = request.headers[IDEMPOTENCY_KEY_HEADER]
        if key in self._receipts:
            return web.json_response(self._receipts[key], status=201)
        self.charged.append(invoice["invoice_id"])
        receipt = self._receipts[key] = {
            "invoice_id": invoice["invoice_id"],
            "charge_id": f"ch_{len(self.charged)}",
        }
        if self.on_charge is not None:
            self.on_charge(len(self.charged))
        if self.hold_from is not None and len(self.charged) >= self.hold_from:
            await self._release.wait()
        self.answered.append(invoice["invoice_id"])
        return web.json_response(receipt, status=201)


def env(api: HoldingBillingAPI) -> dict[str, str]:
    return {INVOICE_API_URL: api.url, INVOICE_API_MAX_ATTEMPTS: "1"}


async def start(http, host, name: str, count: int) -> dict[str, Any]:
    body = {"count": count, "seed": 0}
    async with http.post(host.url(f"api/orchestrators/{name}"), json=body) as response:
        assert response.status == 202, await response.text()
        return await response.json()


async def terminate(http, links: dict[str, Any], reason: str) -> dict[str, Any]:
    async with http.post(links["terminatePostUri"].replace("{text}", quote(reason))) as response:
        assert response.status == 202
    return await poll_status(http, links["statusQueryGetUri"])


async def billing_report(http, host, instance_id: str) -> dict[str, Any]:
    async with http.get(host.url(f"api/runs/{instance_id}")) as response:
        assert response.status == 200
        return (await response.json())["billing"]


def ids(*indexes: int) -> list[str]:
    return [invoice_id(i) for i in indexes]


@pytest.mark.parametrize(
    ("held", "reason"),
    [(4, "stuck on a slow answer"), (3, FORGED_REASON)],
    ids=["plain-reason", "forged-report-in-reason"],
)
async def test_terminating_the_loop_reports_its_charges_and_the_one_in_flight(
    host_factory, http, held, reason
):
    """The held-th POST is charged and in flight at terminate. A reason that carries a forged
    report changes no figure: it is shown as the reason it is, nothing more."""
    async with HoldingBillingAPI(hold_from=held) as api:
        host = await host_factory("function_app", env=env(api))
        links = await start(http, host, CALL_HTTP_LOOP, 8)
        await wait_until(lambda: api.held == 1, 30, "a POST charged and in flight")
        status = await terminate(http, links, reason)
        api.release()
        await host.engine.wait_idle()
    assert (status["runtimeStatus"], status["output"]) == ("Terminated", reason)
    assert api.charged == ids(*range(held))
    billing = await billing_report(http, host, links["id"])
    assert (billing["billed"], billing["failed"], billing["unknown"]) == (held - 1, 0, 1)
    assert billing["invoice_ids"] == {
        "billed": ids(*range(held - 1)),
        "failed": [],
        "unknown": ids(held - 1),
    }
    assert billing["reason"] == reason


async def test_terminating_a_fan_out_with_every_post_in_flight_reports_them_unknown(
    host_factory, http
):
    async with HoldingBillingAPI(hold_from=1) as api:
        host = await host_factory("function_app", env=env(api))
        links = await start(http, host, FAN_OUT_FAN_IN, 5)
        await wait_until(lambda: api.held == 5, 30, "all 5 POSTs charged and in flight")
        running = await billing_report(http, host, links["id"])
        await terminate(http, links, "stop")
        api.release()
        await host.engine.wait_idle()
    assert sorted(api.charged) == sorted(api.answered) == ids(0, 1, 2, 3, 4)
    assert (running["billed"], running["failed"], running["unknown"]) == (0, 0, 5)
    billing = await billing_report(http, host, links["id"])
    assert (billing["billed"], billing["failed"], billing["unknown"]) == (0, 0, 5)
    assert billing["invoice_ids"]["unknown"] == sorted(api.charged)


async def test_an_activity_failure_mid_run_reports_what_was_charged_before_it(
    monkeypatch, host_factory, http
):
    """The host's settings break after 3 charges (MAX_INVOICE_COUNT=abc, as after a restart
    with a bad setting): the next calculate_invoice fails, and with it the run. /api/runs
    still answers under the broken setting."""
    # monkeypatch records the original value now, so whichever of it and the host restores
    # last, the process environment ends as it began.
    monkeypatch.setenv(MAX_INVOICE_COUNT, "1000")

    def break_settings(charges: int) -> None:
        if charges == 3:
            monkeypatch.setenv(MAX_INVOICE_COUNT, "abc")

    async with HoldingBillingAPI(on_charge=break_settings) as api:
        host = await host_factory("function_app", env=env(api))
        links = await start(http, host, CALL_HTTP_LOOP, 8)
        status = await poll_status(http, links["statusQueryGetUri"])
    assert status["runtimeStatus"] == "Failed"
    assert "MAX_INVOICE_COUNT" in status["output"]
    assert api.charged == api.answered == ids(0, 1, 2)
    billing = await billing_report(http, host, links["id"])
    assert (billing["billed"], billing["failed"], billing["unknown"]) == (3, 0, 0)
    assert billing["invoice_ids"]["billed"] == api.charged


async def test_a_fan_out_with_its_posts_in_flight_says_posting(host_factory, http):
    """While its POSTs are out (and after a terminate, which runs no orchestrator code, so the
    last phase stays) the fan-out's custom status says ``posting``, not ``calculating``: an
    operator reading "calculating, 0 done" would not know that invoices are being charged."""
    async with HoldingBillingAPI(hold_from=1) as api:
        host = await host_factory("function_app", env=env(api))
        links = await start(http, host, FAN_OUT_FAN_IN, 5)
        await wait_until(lambda: api.held == 5, 30, "all 5 POSTs charged and in flight")
        status = await terminate(http, links, "stop")
        api.release()
        await host.engine.wait_idle()
    assert status["runtimeStatus"] == "Terminated"
    assert status["customStatus"] == {"phase": "posting", "done": 0, "total": 5}
