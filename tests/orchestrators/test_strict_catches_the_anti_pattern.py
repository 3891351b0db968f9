"""`devhost --strict` catches the anti-pattern's raw POST live, and leaves the fixes alone.

For N = 5 the model predicts N(N+1)/2 = 15 raw POSTs over N+1 episodes, of which N happen the
first time (the episode where the activity's result is new) and 10 while replaying.
"""

import ast
from pathlib import Path

import pytest

from app_settings import FAKE_BILLING_LATENCY_MS
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP

ROOT = Path(__file__).resolve().parents[2]
N = 5


def raw_post_line() -> int:
    """The line of the ``requests.post(`` call in orchestrators/raw_http_loop.py."""
    tree = ast.parse((ROOT / "orchestrators" / "raw_http_loop.py").read_text(encoding="utf-8"))
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "requests.post"
    ]
    assert len(calls) == 1, calls
    return calls[0]


@pytest.fixture
async def strict_host(host_factory, request):
    return await host_factory(
        "function_app", env={FAKE_BILLING_LATENCY_MS: "0"}, strict=request.param
    )


@pytest.mark.parametrize("strict_host", ["warn"], indirect=True)
async def test_strict_reports_dur001_on_the_raw_post_15_times_10_replaying(
    strict_host, run_orchestrator, http
):
    run = await run_orchestrator(strict_host, RAW_HTTP_LOOP, {"count": N, "seed": 3})
    assert run.status["runtimeStatus"] == "Completed"
    assert run.billing["received"] == N * (N + 1) // 2  # --strict watches, it does not prevent
    port = strict_host.port
    expected = {
        "code": "DUR001",
        "file": str(Path("orchestrators", "raw_http_loop.py")),
        "line": raw_post_line(),
        "what": f"socket.connect 127.0.0.1:{port}",
        "occurrences": N * (N + 1) // 2,
        "replaying": N * (N - 1) // 2,
    }
    assert run.counters.strict_findings == [expected]
    async with http.get(strict_host.url(f"api/runs/{run.status['instanceId']}")) as response:
        summary = await response.json()
    assert summary["replay"]["strict_findings"] == [expected]


@pytest.mark.parametrize("strict_host", ["fail"], indirect=True)
@pytest.mark.parametrize("name", [CALL_HTTP_LOOP, FAN_OUT_FAN_IN])
async def test_strict_fail_finds_nothing_in_the_fixes(strict_host, run_orchestrator, http, name):
    run = await run_orchestrator(strict_host, name, {"count": N, "seed": 3})
    assert run.status["runtimeStatus"] == "Completed", run.status
    assert run.billing == {"received": N, "distinct_invoices": N}
    assert run.counters.strict_findings == []
    async with http.get(strict_host.url(f"api/runs/{run.status['instanceId']}")) as response:
        summary = await response.json()
    assert "strict_findings" not in summary["replay"]


@pytest.mark.parametrize("strict_host", ["fail"], indirect=True)
async def test_strict_fail_stops_the_anti_pattern_at_its_first_raw_post(
    strict_host, run_orchestrator
):
    run = await run_orchestrator(strict_host, RAW_HTTP_LOOP, {"count": N, "seed": 3})
    assert run.status["runtimeStatus"] == "Failed"
    failed = f"Orchestrator function '{RAW_HTTP_LOOP}' failed: DUR001"
    assert run.status["output"].startswith(failed)
    assert f"raw_http_loop.py:{raw_post_line()}" in run.status["output"]
    assert run.billing["received"] == 0  # failed before connecting
    assert run.counters.episodes == 2
