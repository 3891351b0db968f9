"""The README's "Break it yourself" works as written, on a temporary copy of the repository:
put the raw call back into `call_http_loop.py` (two edits, quoted below and in the README),
the literal lines pass ruff, `make lint` then reports DUR001 on the raw call, and an N=5 run
of the broken `call_http_loop` makes N(N+1)/2 billing POSTs in N+1 episodes."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
N = 5
EDITS = [  # (the line or lines before, what replaces them): the README quotes both
    (
        "import azure.durable_functions as df\n",
        "import azure.durable_functions as df\nimport requests\n",
    ),
    (
        '        post = context.call_http("POST", target.url, content=priced,'
        " headers=guard.headers(priced))\n"
        "        with guard.tolerating_failures():\n"
        "            yield post\n"
        "        yield from guard.retry_failed([post])\n",
        "        requests.post(target.url, json=priced, headers=guard.headers(priced),"
        " timeout=30)\n",
    ),
]

RUN_N = """
import asyncio, json, aiohttp
from devhost.testing import running_host, poll_status
from app_settings import FAKE_BILLING_LATENCY_MS

async def main():
    async with running_host("function_app", env={FAKE_BILLING_LATENCY_MS: "0"}) as host:
        async with aiohttp.ClientSession() as http:
            url = host.url("api/orchestrators/call_http_loop")
            async with http.post(url, json={"count": COUNT}) as response:
                links = await response.json()
            status = await poll_status(http, links["statusQueryGetUri"], timeout=60)
            async with http.get(host.url("api/billing/stats")) as response:
                billing = (await response.json())["by_run"][links["id"]]
            counters = host.engine.counters(links["id"])
            print(json.dumps({"status": status["runtimeStatus"], "billing": billing,
                              "episodes": counters.episodes, "http_calls": counters.http_calls}))

asyncio.run(main())
""".replace("COUNT", str(N))


def test_the_readme_quotes_the_edit_this_test_makes():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    replacement = EDITS[1][1].strip()
    assert replacement in readme and "`import requests` after" in readme


@pytest.fixture
def broken_copy(tmp_path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(  # copy2 keeps mtimes, so make sees the venv as up to date
        REPO,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "out", ".*_cache", "__pycache__"),
    )
    target = copy / "orchestrators" / "call_http_loop.py"
    source = target.read_text(encoding="utf-8")
    for before, after in EDITS:
        assert source.count(before) == 1
        source = source.replace(before, after)
    target.write_text(source, encoding="utf-8")
    return copy


def test_break_it_yourself_as_the_readme_says(broken_copy):
    venv = Path(sys.executable).parent.parent
    lint = subprocess.run(
        # -o: never remake the venv's stamp from the copy (its `-e ./tools/...` lines would
        # point this venv's editable installs at the temporary copy).
        ["make", "lint", f"VENV={venv}", "-o", str(venv / ".installed")],
        cwd=broken_copy,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = lint.stdout + lint.stderr
    assert lint.returncode != 0
    assert "All checks passed!" in out  # ruff check
    assert "already formatted" in out and "would reformat" not in out  # ruff format --check
    raw_line = next(
        number
        for number, line in enumerate(
            (broken_copy / "orchestrators" / "call_http_loop.py").read_text().splitlines(), 1
        )
        if "requests.post(" in line
    )
    assert re.search(rf"orchestrators/call_http_loop\.py:{raw_line}:\d+: DUR001 ", out), out
    run = subprocess.run(
        [sys.executable, "-c", RUN_N],
        cwd=broken_copy,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["status"] == "Completed"
    assert result["billing"]["received"] == N * (N + 1) // 2
    assert result["billing"]["distinct_invoices"] == N
    assert (result["episodes"], result["http_calls"]) == (N + 1, 0)
