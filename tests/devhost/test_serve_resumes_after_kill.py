"""`kill -9` of `python -m devhost serve` mid-run, then a restart on the same state: all complete.

The real host's state is in Azure Storage, so a killed worker loses nothing: the next one
replays each instance's history and gets the unanswered messages again (DurableTask.AzureStorage
control/work-item queues; at least once). Replaying is exactly what makes the anti-pattern
expensive: the resumed raw_http_loop POSTs every earlier invoice again, while call_http_loop
and fan_out_fan_in find their earlier calls' results in the history.
"""

from __future__ import annotations

import signal

import requests

from app_settings import FAKE_BILLING_LATENCY_MS
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP

RAW, CALL, FAN = RAW_HTTP_LOOP, CALL_HTTP_LOOP, FAN_OUT_FAN_IN
COUNTS = {RAW: 8, CALL: 30, FAN: 40}


def _start(host, name: str) -> str:
    response = requests.post(
        f"{host.base}/api/orchestrators/{name}", json={"count": COUNTS[name], "seed": 0}, timeout=10
    )
    assert response.status_code == 202, response.text
    return response.json()["id"]


def _billing(host) -> dict[str, dict[str, int]]:
    return requests.get(f"{host.base}/api/billing/stats", timeout=10).json()["by_run"]


def test_kill_9_then_restart_completes_all_three_and_only_the_anti_pattern_reposts(
    serve_tools, tmp_path
):
    port = str(serve_tools.free_port())
    args = ["--port", port, "--state-dir", str(tmp_path / "state")]
    env = {FAKE_BILLING_LATENCY_MS: "100"}
    host = serve_tools.start(args, env)
    ids = {name: _start(host, name) for name in (RAW, CALL, FAN)}

    def mid_run() -> dict[str, dict[str, int]] | None:
        runs = _billing(host)
        distinct = {name: runs.get(ids[name], {}).get("distinct_invoices", 0) for name in ids}
        return runs if distinct[RAW] >= 3 and distinct[CALL] >= 3 else None

    before = serve_tools.poll(mid_run, 60, "raw and call_http loops have posted 3 invoices")
    assert host.status(ids[RAW])["runtimeStatus"] == "Running"
    assert host.status(ids[CALL])["runtimeStatus"] == "Running"
    host.signal(signal.SIGKILL)
    assert host.wait_exit(10) == -signal.SIGKILL

    again = serve_tools.start(args, env)
    assert any("Resumed" in line for line in again.lines), again.output()
    for name, instance_id in ids.items():
        status = again.wait_finished(instance_id, 120)
        assert status["runtimeStatus"] == "Completed", (name, status)
        assert [row["api_status"] for row in status["output"]] == [201] * COUNTS[name]

    after = _billing(again)  # what the restarted process's billing API received
    raw_before = before[ids[RAW]]["distinct_invoices"]
    # The resumed anti-pattern replays from the start: it POSTs the earlier invoices again.
    assert after[ids[RAW]]["distinct_invoices"] == COUNTS[RAW]
    # Without replay it would be COUNTS[RAW] - raw_before; the first resumed episode alone
    # sends raw_before + 1.
    assert after[ids[RAW]]["received"] >= COUNTS[RAW] + raw_before, (before, after)
    # call_http: only the invoices not yet answered; at most the one in flight goes twice.
    call_before = before[ids[CALL]]["distinct_invoices"]
    assert after[ids[CALL]]["received"] <= COUNTS[CALL] - call_before + 1, (before, after)
