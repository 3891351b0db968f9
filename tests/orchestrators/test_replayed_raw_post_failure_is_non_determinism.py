"""The anti-pattern's other symptom: a replayed raw POST that fails makes the run fail as
"Non-Deterministic workflow detected", not as a POST error.

For N=3 the raw POSTs are #1 (episode 1), #1 #2 (episode 2), #1 #2 #3 (episode 3). When the
4th request (invoice 1 again, in a replay) fails, the orchestrator raises at a point earlier than
where history says it already was: the replay never schedules ``calculate_invoice`` with
sequence ID 1 again, and DTFx's check of scheduled events against the replay's actions
(Azure/durabletask, src/DurableTask.Core/TaskOrchestrationContext.cs,
``HandleTaskScheduledEvent``) fails the instance before the orchestrator's own error is seen.
"""

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from app_settings import INVOICE_API_URL
from contract import RAW_HTTP_LOOP


@pytest.fixture
def failing_request():
    """``async with failing_request(k) as server``: the k-th POST's connection is cut."""

    def serve(k: int) -> TestServer:
        seen = [0]

        async def submit(request: web.Request) -> web.Response:
            seen[0] += 1
            await request.read()
            if seen[0] == k:
                assert request.transport is not None
                request.transport.abort()
            return web.json_response({"received": True}, status=201)

        app = web.Application()
        app.router.add_post("/invoices", submit)
        return TestServer(app, host="127.0.0.1")

    return serve


async def run_raw(host_factory, run_orchestrator, server) -> dict:
    host = await host_factory(
        "function_app", env={INVOICE_API_URL: str(server.make_url("/invoices"))}
    )
    return (await run_orchestrator(host, RAW_HTTP_LOOP, {"count": 3})).status


async def test_a_failed_replayed_post_fails_as_non_deterministic(
    host_factory, run_orchestrator, failing_request
):
    async with failing_request(4) as server:
        status = await run_raw(host_factory, run_orchestrator, server)
    assert status["runtimeStatus"] == "Failed"
    assert status["output"].startswith(
        "Non-Deterministic workflow detected: A previous execution of this orchestration "
        "scheduled an activity task with sequence ID 1 and name 'calculate_invoice', but the "
        "current replay execution hasn't (yet?) scheduled this task."
    )
    assert "POST" not in status["output"]


async def test_a_failed_first_post_fails_as_a_post_error(
    host_factory, run_orchestrator, failing_request
):
    async with failing_request(1) as server:
        status = await run_raw(host_factory, run_orchestrator, server)
    assert status["runtimeStatus"] == "Failed"
    assert status["output"].startswith(
        f"Orchestrator function '{RAW_HTTP_LOOP}' failed: POST http://127.0.0.1:"
    )
    assert "for invoice INV-000000 failed" in status["output"]
