"""Whatever ends a run, what the billing API charged is what the run reports billed.

A fault-injecting stand-in (``FaultyBillingAPI``, loopback, port 0) plays each ending: a
redirect (to a second listener), a ``429`` with ``Retry-After``, a new run under an old
instance id with another seed, and an activity that fails partway through the run. Every test
compares the invoice ids the stand-ins charged with the ids the run reports billed.
"""

import json
from datetime import datetime, timedelta
from email.utils import format_datetime

import pytest
from azure.durable_functions.models.history import HistoryEventType

from app_settings import (
    INVOICE_API_MAX_ATTEMPTS,
    INVOICE_API_RETRY_INTERVAL_MS,
    INVOICE_API_URL,
    MAX_INVOICE_COUNT,
)
from contract import BILLING_REPORT_MARKER, CALL_HTTP_LOOP, FAN_OUT_FAN_IN
from devhost import VirtualClock
from devhost.runtime.engine import EngineSettings
from devhost.testing import wait_until
from invoices.generator import invoice_id

FIXES = [CALL_HTTP_LOOP, FAN_OUT_FAN_IN]
N = 3
IDS = [invoice_id(i) for i in range(N)]
CAP = timedelta(minutes=5)  # billing_guard.MAX_BACKOFF, stated here so a change is seen


def env(url: str, attempts: int = 3) -> dict[str, str]:
    return {
        INVOICE_API_URL: url,
        INVOICE_API_MAX_ATTEMPTS: str(attempts),
        INVOICE_API_RETRY_INTERVAL_MS: "10",
        MAX_INVOICE_COUNT: "1000",
    }


def rows_of(status: dict) -> list[dict]:
    """A run's rows: its output when it completed, its failure report when it failed."""
    if status["runtimeStatus"] == "Completed":
        return status["output"]
    return json.loads(status["output"].partition(BILLING_REPORT_MARKER)[2])["rows"]


def reported_billed(status: dict) -> set[str]:
    return {row["invoice_id"] for row in rows_of(status) if "error" not in row}


async def start(host, name: str, body: dict, instance_id: str | None = None) -> str:
    return await host.engine.start_new(name, instance_id, json.dumps(body))


@pytest.mark.parametrize("redirect", [301, 302])
@pytest.mark.parametrize("name", FIXES)
async def test_a_redirect_that_turns_the_post_into_a_get_is_not_billed(
    host_factory, faulty_billing, name, redirect
):
    """The platform's HttpClient follows 301/302 from a POST with a GET, without the body
    (dotnet/runtime, System.Net.Http SocketsHttpHandler/RedirectHandler.cs,
    ``RequestRequiresForceGet``); the page's 200 is not a receipt, so nothing counts as billed."""
    async with (
        faulty_billing() as landing,
        faulty_billing(redirect=(redirect, landing.url)) as api,
    ):
        host = await host_factory("function_app", env=env(api.url))
        status = await host.engine.wait(
            await start(host, name, {"count": N, "seed": 0}), timeout=60
        )
    assert status["runtimeStatus"] == "Failed"
    assert f"{N} of {N} invoices were not billed (0 billed)" in status["output"]
    rows = rows_of(status)
    assert [(row["invoice_id"], row["api_status"]) for row in rows] == [(i, 200) for i in IDS]
    assert all("without a receipt" in row["error"] for row in rows)
    assert (api.charges, landing.charges, landing.gets) == ({}, {}, N)  # a 200 is final
    assert reported_billed(status) == set(api.charges) | set(landing.charges) == set()


@pytest.mark.parametrize("name", FIXES)
async def test_a_307_is_charged_where_it_lands_and_reported(host_factory, faulty_billing, name):
    """A 307 re-POSTs the same body and headers (the key included) to the new location."""
    async with (
        faulty_billing() as landing,
        faulty_billing(redirect=(307, landing.url)) as api,
    ):
        host = await host_factory("function_app", env=env(api.url))
        status = await host.engine.wait(
            await start(host, name, {"count": N, "seed": 0}), timeout=60
        )
    assert status["runtimeStatus"] == "Completed", status["output"]
    assert api.charges == {}
    assert landing.charges == dict.fromkeys(IDS, 1)
    assert reported_billed(status) == set(landing.charges) == set(IDS)
    assert all(len(keys) == 1 and None not in keys for keys in landing.keys.values())


def timer_waits(history: list[dict]) -> list[timedelta]:
    """Each durable timer's fire time, less the start of the episode that created it."""
    waits, started = [], None
    for event in history:
        if event["EventType"] == HistoryEventType.ORCHESTRATOR_STARTED:
            started = datetime.fromisoformat(event["Timestamp"])
        elif event["EventType"] == HistoryEventType.TIMER_CREATED:
            waits.append(datetime.fromisoformat(event["FireAt"]) - started)
    return waits


def in_seconds(seconds: int) -> dict[str, str]:
    """A Retry-After as an HTTP-date, ``seconds`` after the answer's own Date header."""
    now = datetime.now().astimezone().replace(microsecond=0)
    return {"Retry-After": format_datetime(now + timedelta(seconds=seconds), usegmt=False)}


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "7"}, timedelta(seconds=7)),
        ({"Retry-After": "3600"}, CAP),  # capped by the longest back-off
        ({}, timedelta(milliseconds=10)),  # none: the back-off
        ("http-date", timedelta(seconds=9)),
    ],
)
@pytest.mark.parametrize("name", FIXES)
async def test_a_429_waits_as_long_as_retry_after_asks_on_a_durable_timer(
    host_factory, faulty_billing, name, headers, wait
):
    clock = VirtualClock()
    first = in_seconds(9) if headers == "http-date" else headers
    async with faulty_billing(fail_first=True, first_status=429, first_headers=first) as api:
        host = await host_factory(
            "function_app", env=env(api.url), settings=EngineSettings(clock=clock)
        )
        instance_id = await start(host, name, {"count": N, "seed": 0})
        timers = N if name == CALL_HTTP_LOOP else 1  # the loop retries invoice by invoice
        for created in range(1, timers + 1):
            await wait_until(
                lambda n=created: len(timer_waits(host.engine.history(instance_id))) == n,
                30,
                f"timer {created}",
            )
            await clock.advance(wait.total_seconds())
        status = await host.engine.wait(instance_id, timeout=30)
    assert timer_waits(host.engine.history(instance_id)) == [wait] * timers
    assert status["runtimeStatus"] == "Completed", status["output"]
    assert reported_billed(status) == set(api.charges) == set(IDS)
    assert api.attempts == dict.fromkeys(IDS, 2)


@pytest.mark.parametrize("name", FIXES)
async def test_a_new_run_under_an_old_instance_id_is_charged_again_under_new_keys(
    host_factory, faulty_billing, name
):
    """Keys are per run, not per instance id: the second run (another seed, so other totals
    under the same invoice ids) is charged, not answered with the first run's receipts; a
    stand-in that sees a known key with another body refuses it (422) instead."""
    async with faulty_billing() as api:
        host = await host_factory("function_app", env=env(api.url))
        first = await host.engine.wait(await start(host, name, {"count": N, "seed": 0}, "lead"), 60)
        assert host.engine.purge("lead") == 1
        second = await host.engine.wait(
            await start(host, name, {"count": N, "seed": 1}, "lead"), 60
        )
    assert (first["runtimeStatus"], second["runtimeStatus"]) == ("Completed", "Completed")
    assert api.charges == dict.fromkeys(IDS, 2)
    assert api.refused_reuse == 0
    assert all(len(keys) == 2 for keys in api.keys.values())  # one key per run
    assert reported_billed(first) == reported_billed(second) == set(api.charges)


async def test_an_activity_failure_mid_loop_reports_what_was_billed(
    host_factory, faulty_billing, monkeypatch
):
    """``calculate_invoice`` fails for invoice 3 (the host restarted with a bad setting): the run
    ends with the report of the POST failures, the 3 billed invoices in it."""

    def break_settings(charged: int) -> None:
        if charged == 3:
            monkeypatch.setenv(MAX_INVOICE_COUNT, "abc")

    async with faulty_billing(after_charge=break_settings) as api:
        host = await host_factory("function_app", env=env(api.url))
        status = await host.engine.wait(
            await start(host, CALL_HTTP_LOOP, {"count": 6, "seed": 0}), 60
        )
    assert status["runtimeStatus"] == "Failed"
    assert "3 of 6 invoices were not billed (3 billed); first: the run stopped:" in status["output"]
    assert MAX_INVOICE_COUNT in status["output"]
    rows = rows_of(status)
    assert [row["invoice_id"] for row in rows] == [invoice_id(i) for i in range(6)]
    assert reported_billed(status) == set(api.charges) == {invoice_id(i) for i in range(3)}
    assert status["customStatus"] == {
        "phase": "failed",
        "done": 6,
        "total": 6,
        "billed": 3,
        "failed": 3,
    }


async def test_an_activity_failure_in_the_fan_out_reports_every_invoice(
    host_factory, faulty_billing
):
    async with faulty_billing() as api:
        host = await host_factory("function_app", env={**env(api.url), MAX_INVOICE_COUNT: "x"})
        status = await host.engine.wait(
            await start(host, FAN_OUT_FAN_IN, {"count": N, "seed": 0}), 60
        )
    assert status["runtimeStatus"] == "Failed"
    assert f"{N} of {N} invoices were not billed (0 billed)" in status["output"]
    assert [row["invoice_id"] for row in rows_of(status)] == IDS
    assert reported_billed(status) == set(api.charges) == set()
