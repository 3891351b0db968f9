"""The linter on this app's own orchestrators: exactly the mistakes we keep on purpose.

raw_http_loop (the anti-pattern) has the raw ``requests.post`` (DUR001) and a sequential loop
(DUR101); call_http_loop (fix 1) has only the sequential loop; fan_out_fan_in (fix 2) and the
shared module have nothing. Each kept mistake carries a ``# noqa`` with a comment saying it is
there on purpose, so ``make lint`` is clean and ``--no-noqa`` still shows all three.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contract import RAW_HTTP_LOOP

REPO = Path(__file__).resolve().parents[2]
ORCHESTRATORS = REPO / "orchestrators"
# The app's files and folders: what `make lint` hands to durable_lint (the Makefile is their home).
_MAKE_LINT = re.search(r"^\t\$\(PY\) -m durable_lint (.+)$", (REPO / "Makefile").read_text(), re.M)
APP_PATHS = _MAKE_LINT.group(1).split() if _MAKE_LINT else []

pytestmark = pytest.mark.skipif(
    not (ORCHESTRATORS / "raw_http_loop.py").exists(), reason="the app's orchestrators are absent"
)


def _where(findings: list[dict]) -> list[tuple[str, str]]:
    return sorted((Path(f["path"]).name, f["code"]) for f in findings)


def _source_line(finding: dict) -> str:
    lines = (REPO / finding["path"]).read_text(encoding="utf-8").splitlines()
    return lines[finding["line"] - 1].strip()


def test_no_noqa_shows_the_raw_call_and_both_sequential_loops(lint, monkeypatch) -> None:
    monkeypatch.chdir(REPO)

    run = lint("--no-noqa", "--format", "json", "orchestrators")

    assert run.code == 1
    assert _where(run.findings) == [
        ("call_http_loop.py", "DUR101"),
        ("raw_http_loop.py", "DUR001"),
        ("raw_http_loop.py", "DUR101"),
    ]
    by_code = {(Path(f["path"]).name, f["code"]): f for f in run.findings}
    raw_call = by_code["raw_http_loop.py", "DUR001"]
    assert "requests.post(" in _source_line(raw_call)
    assert raw_call["orchestrator"] == RAW_HTTP_LOOP
    for name in ("raw_http_loop.py", "call_http_loop.py"):
        assert _source_line(by_code[name, "DUR101"]).startswith("for ")


def test_each_kept_mistake_is_silenced_on_purpose(lint, monkeypatch) -> None:
    monkeypatch.chdir(REPO)

    assert lint("--format", "json", "orchestrators").findings == []
    for finding in lint("--no-noqa", "--format", "json", "orchestrators").findings:
        lines = (REPO / finding["path"]).read_text(encoding="utf-8").splitlines()
        assert f"# noqa: {finding['code']}" in lines[finding["line"] - 1]
        around = " ".join(lines[finding["line"] - 3 : finding["line"]]).lower()
        assert "on purpose" in around


def test_the_whole_app_has_no_other_finding(lint, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    assert APP_PATHS, "no `$(PY) -m durable_lint ...` line in the Makefile's lint target"
    paths = [p for p in APP_PATHS if (REPO / p).exists()]

    run = lint("--no-noqa", "--format", "json", *paths)

    assert run.err == ""
    assert _where(run.findings) == [
        ("call_http_loop.py", "DUR101"),
        ("raw_http_loop.py", "DUR001"),
        ("raw_http_loop.py", "DUR101"),
    ]
