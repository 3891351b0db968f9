"""`devhost --strict` reports each kind of side effect of orchestrator code, and nothing else.

The fixture app (apps/strict_app.py, apps/strict_helpers.py) marks every line that must be
reported with ``# strict: DURnnn``; each case runs one orchestrator and compares the instance's
counters with the marks, exactly: two episodes, so two occurrences, one of them while replaying.
"""

from __future__ import annotations

import ast
import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from devhost.testing import HostFactory

APPS = Path(__file__).parent / "apps"
MARK = re.compile(r"#\s*strict:\s*(DUR\d{3})")
ENV = {"STRICT_SETTING": "on"}

# orchestrator -> (file of the marked line, function holding it, what happened, starts with)
CASES: dict[str, tuple[str, str, str]] = {
    "network_direct": ("strict_app.py", "network_direct", "socket.connect 127.0.0.1:"),
    "file_direct": ("strict_app.py", "file_direct", "open "),
    "process_direct": ("strict_app.py", "process_direct", "subprocess.Popen true"),
    "system_direct": ("strict_app.py", "system_direct", "os.system true"),
    "clock_direct": ("strict_app.py", "clock_direct", "datetime.now"),
    "time_direct": ("strict_app.py", "time_direct", "time.time"),
    "random_direct": ("strict_app.py", "random_direct", "random.randint"),
    "uuid_direct": ("strict_app.py", "uuid_direct", "uuid.uuid4"),
    "env_direct": ("strict_app.py", "env_direct", "os.environ['STRICT_SETTING']"),
    "sleep_direct": ("strict_app.py", "sleep_direct", "time.sleep"),
    "network_helper": ("strict_helpers.py", "ping", "socket.connect 127.0.0.1:"),
    "file_helper": ("strict_helpers.py", "read_config", "open "),
    "process_helper": ("strict_helpers.py", "run_tool", "subprocess.Popen true"),
    "clock_helper": ("strict_helpers.py", "today", "datetime.now"),
    "random_helper": ("strict_helpers.py", "new_id", "uuid.uuid4"),
    "env_helper": ("strict_helpers.py", "setting", "os.environ['STRICT_SETTING']"),
}


def marked_line(file: str, function: str) -> tuple[int, str]:
    """The one ``# strict:`` line inside ``function`` of ``file``, and its code."""
    source = (APPS / file).read_text(encoding="utf-8")
    lines = source.splitlines()
    node = next(n for n in ast.walk(ast.parse(source)) if getattr(n, "name", None) == function)
    marks = [
        (number, match.group(1))
        for number in range(node.lineno, node.end_lineno + 1)
        if (match := MARK.search(lines[number - 1]))
    ]
    assert len(marks) == 1, f"{file}:{function} must mark exactly one line: {marks}"
    return marks[0]


async def run(host_factory: HostFactory, name: str, strict: str, tmp_path: Path) -> Any:
    host = await host_factory("strict_app", app_dir=APPS, env=ENV, strict=strict)
    config = tmp_path / "config.txt"
    if not name.startswith("file_write"):
        config.write_text("setting", encoding="utf-8")
    args = {"address": ["127.0.0.1", host.port], "path": str(config)}
    instance_id = await host.engine.start_new(name, None, json.dumps(args))
    status = await host.engine.wait(instance_id, timeout=60)
    return status, host.engine.counters(instance_id)


@pytest.mark.parametrize("name", sorted(CASES))
async def test_strict_reports_each_side_effect_at_the_app_line(host_factory, tmp_path, name):
    """One finding: the marked line's code, 2 occurrences, 1 while replaying."""
    file, function, what = CASES[name]
    line, code = marked_line(file, function)
    status, counters = await run(host_factory, name, "warn", tmp_path)
    assert status["runtimeStatus"] == "Completed", status
    assert len(counters.strict_findings) == 1, counters.strict_findings
    finding = counters.strict_findings[0]
    assert (Path(finding["file"]).name, finding["line"], finding["code"]) == (file, line, code)
    assert (finding["occurrences"], finding["replaying"]) == (2, 1)
    assert finding["what"].startswith(what), finding["what"]


@pytest.mark.parametrize("name", ["quiet_activity", "quiet_context"])
async def test_strict_fail_leaves_replay_safe_look_alikes_alone(host_factory, tmp_path, name):
    """The same calls in an activity; the context's clock and ids, a seeded RNG, safe logging."""
    status, counters = await run(host_factory, name, "fail", tmp_path)
    assert status["runtimeStatus"] == "Completed", status
    assert counters.strict_findings == []


async def test_strict_fail_leaves_imports_json_and_logging_alone(host_factory, tmp_path):
    """The interpreter's and the SDK's own work inside orchestrator code is never reported."""
    assert "strict_lazy" not in sys.modules  # so the orchestrator's import really opens a file
    status, counters = await run(host_factory, "quiet_sdk_work", "fail", tmp_path)
    assert status["runtimeStatus"] == "Completed", status
    assert status["output"] == "imported"
    assert "strict_lazy" in sys.modules
    assert counters.strict_findings == []


async def test_strict_fail_fails_the_instance_before_the_side_effect(host_factory, tmp_path):
    """--strict=fail stops the write at the audit hook and fails with the finding's message."""
    line, _ = marked_line("strict_app.py", "file_write_direct")
    status, counters = await run(host_factory, "file_write_direct", "fail", tmp_path)
    assert status["runtimeStatus"] == "Failed"
    output = status["output"]
    assert output.startswith("Orchestrator function 'file_write_direct' failed: DUR005 `open ")
    assert f"strict_app.py:{line}" in output
    assert "episode 1, not replaying" in output
    assert not (tmp_path / "config.txt").exists()
    assert [(f["occurrences"], f["replaying"]) for f in counters.strict_findings] == [(1, 0)]


async def test_strict_warns_once_per_orchestrator_code_and_line(host_factory, caplog):
    """Two instances, four occurrences, one warning; each instance counts its own two."""
    host = await host_factory("strict_app", app_dir=APPS, env=ENV, strict="warn")
    caplog.set_level(logging.WARNING, logger="devhost")
    counts = []
    for _ in range(2):
        instance_id = await host.engine.start_new("clock_direct", None, "{}")
        await host.engine.wait(instance_id, timeout=60)
        counts.append(host.engine.counters(instance_id).strict_findings[0]["occurrences"])
    warnings = [r.getMessage() for r in caplog.records if "devhost --strict" in r.getMessage()]
    assert counts == [2, 2]
    assert len(warnings) == 1, warnings
    assert "DUR003 `datetime.now` reads the wall clock" in warnings[0]
    assert "orchestrator 'clock_direct'" in warnings[0]


async def test_without_strict_nothing_is_watched(host_factory):
    """The host's default: no findings, however much the orchestrator misbehaves."""
    host = await host_factory("strict_app", app_dir=APPS, env=ENV)
    instance_id = await host.engine.start_new("clock_direct", None, "{}")
    status = await host.engine.wait(instance_id, timeout=60)
    assert status["runtimeStatus"] == "Completed"
    assert host.engine.counters(instance_id).strict_findings == []
