"""`python -m devhost serve` lists the routes like `func start`, serves, and stops on Ctrl-C."""

import re
import signal

import requests

from app_settings import FAKE_BILLING_LATENCY_MS, INVOICE_API_URL
from contract import RAW_HTTP_LOOP


def test_serve_prints_routes_answers_and_stops_cleanly_on_ctrl_c(
    serve_tools, tmp_path, monkeypatch
):
    monkeypatch.delenv(INVOICE_API_URL, raising=False)  # a developer's shell must not redirect
    host = serve_tools.start(
        ["--port", "0", "--state-dir", str(tmp_path)], {FAKE_BILLING_LATENCY_MS: "0"}
    )
    banner = host.output()
    assert "Functions:" in banner, banner
    match = re.search(r"billing_stats: \[DELETE,GET\] (http://127\.0\.0\.1:\d+)/api/", banner)
    assert match, banner
    base = match.group(1)
    assert f"start_orchestrator: [POST] {base}/api/orchestrators/{{name}}" in banner
    assert f"{RAW_HTTP_LOOP}: orchestrationTrigger" in banner
    assert requests.get(f"{base}/api/billing/stats", timeout=10).status_code == 200
    assert requests.get(f"{base}/api/nowhere", timeout=10).status_code == 404
    host.signal(signal.SIGINT)
    assert host.wait_exit(30) == 0, host.output()
    assert "Traceback" not in host.output()
