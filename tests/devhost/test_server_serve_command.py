"""`python -m devhost serve` lists the routes like `func start`, serves, and stops on Ctrl-C."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

from app_settings import FAKE_BILLING_LATENCY_MS, INVOICE_API_URL

ROOT = Path(__file__).resolve().parents[2]


def test_serve_prints_routes_answers_and_stops_cleanly_on_ctrl_c(tmp_path):
    env = {**os.environ, FAKE_BILLING_LATENCY_MS: "0", "PYTHONUNBUFFERED": "1"}
    env.pop(INVOICE_API_URL, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "devhost", "serve", "--port", "0", "--state-dir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if "Press Ctrl+C to stop" in line:
                break
        banner = "\n".join(lines)
        assert "Functions:" in banner, banner
        match = re.search(r"billing_stats: \[DELETE,GET\] (http://127\.0\.0\.1:\d+)/api/", banner)
        assert match, banner
        base = match.group(1)
        assert f"start_orchestrator: [POST] {base}/api/orchestrators/{{name}}" in banner
        assert "raw_http_loop: orchestrationTrigger" in banner
        assert requests.get(f"{base}/api/billing/stats", timeout=10).status_code == 200
        assert requests.get(f"{base}/api/nowhere", timeout=10).status_code == 404
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, rest
    assert "Traceback" not in rest
