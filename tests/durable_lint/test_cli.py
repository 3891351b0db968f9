"""The command line: output formats, selection, noqa, exit codes, parse errors, walking."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<msg>(?P<code>DUR\d{3}) .+)$")


@pytest.fixture
def app(write, sources) -> Path:
    """A folder with an offending module and a clean one."""
    write("app/raw.py", sources["raw"])
    write("app/clean.py", sources["clean"])
    return write("app/__init__.py", "").parent


def test_text_output_is_one_line_per_finding_then_a_summary(lint, app) -> None:
    run = lint(app)

    assert run.code == 1
    *findings, summary = run.lines
    assert len(findings) == 1
    match = LINE.match(findings[0])
    assert match is not None
    assert match["path"] == str(app / "raw.py")
    assert (match["line"], match["col"], match["code"]) == ("9", "5", "DUR101")
    assert match["msg"].startswith("DUR101 ") and "context.task_all" in match["msg"]
    assert summary == "Found 1 finding in 1 file (3 files checked, 1 suppressed by noqa)."


def test_findings_are_sorted_by_path_line_and_column(lint, write) -> None:
    body = "import time\nimport azure.durable_functions as df\nbp = df.Blueprint()\n"
    body += "@bp.orchestration_trigger(context_name='c')\ndef o(c):\n"
    body += "    x = time.time(); time.sleep(1)\n    time.sleep(2)\n    yield c.create_timer(x)\n"
    write("b.py", body)
    first = write("a.py", body)

    run = lint(first.parent)

    places = [LINE.match(line).group("path", "line", "col") for line in run.lines[:-1]]
    assert [(Path(p).name, int(n), int(c)) for p, n, c in places] == [
        ("a.py", 6, 9),
        ("a.py", 6, 22),
        ("a.py", 7, 5),
        ("b.py", 6, 9),
        ("b.py", 6, 22),
        ("b.py", 7, 5),
    ]


def test_exit_code_is_0_when_clean(lint, write, sources) -> None:
    run = lint(write("clean.py", sources["clean"]))

    assert run.code == 0
    assert run.lines == ["No findings (1 file checked)."]


def test_no_noqa_also_reports_suppressed_findings(lint, app) -> None:
    run = lint("--no-noqa", "--format", "json", app)

    assert run.code == 1
    assert sorted(f["code"] for f in run.findings) == ["DUR001", "DUR101"]


def test_select_and_ignore_choose_codes(lint, app) -> None:
    assert lint("--no-noqa", "--select", "DUR001", app).lines[0].split()[1] == "DUR001"
    assert lint("--no-noqa", "--select", "DUR0", app).out.count("DUR101") == 0
    only = lint("--no-noqa", "--ignore", "DUR001,DUR101", app)
    assert only.code == 0
    assert only.lines == ["No findings (3 files checked)."]


def test_an_unknown_code_is_a_usage_error(lint, app) -> None:
    run = lint("--select", "DUR999", app)

    assert run.code == 2
    assert "unknown rule code 'DUR999'" in run.err
    assert run.out == ""


def test_a_missing_path_is_a_usage_error(lint, tmp_path) -> None:
    run = lint(tmp_path / "nope")

    assert run.code == 2
    assert "no such file or directory" in run.err


def test_json_lists_path_line_col_code_message_and_orchestrator(lint, app) -> None:
    run = lint("--format", "json", app)

    assert run.code == 1
    assert run.findings == [
        {
            "path": str(app / "raw.py"),
            "line": 9,
            "col": 5,
            "code": "DUR101",
            "message": run.findings[0]["message"],
            "orchestrator": "raw",
        }
    ]
    assert run.findings[0]["message"].startswith("DUR101 loop awaits `context.call_activity`")


def test_a_syntax_error_is_reported_and_the_other_files_still_checked(lint, app, write) -> None:
    broken = write("app/broken.py", "def orchestrator(context:\n    yield\n")

    run = lint(app)

    assert run.code == 2
    assert run.lines[0] == f"{broken}:1:17: E999 SyntaxError: '(' was never closed"
    assert "Traceback" not in run.out + run.err
    assert any(" DUR101 " in line for line in run.lines)
    assert run.lines[-1].endswith("(3 files checked, 1 suppressed by noqa, 1 file not parsed).")


def test_a_file_that_does_not_parse_alone_is_not_called_clean(lint, write) -> None:
    broken = write("broken.py", "x = (\n")

    run = lint(broken)

    assert run.code == 2
    assert run.lines == [
        f"{broken}:1:5: E999 SyntaxError: '(' was never closed",
        "Could not parse 1 file (0 files checked).",
    ]


def test_json_puts_parse_errors_in_the_same_list_on_stdout(lint, app, write) -> None:
    """Everything on stdout, so `--format json > report.json` keeps the E999 too."""
    broken = write("app/broken.py", "x = (\n")

    run = lint("--format", "json", app)

    assert run.code == 2
    assert [f["code"] for f in run.findings] == ["E999", "DUR101"]
    assert run.findings[0] == {
        "path": str(broken),
        "line": 1,
        "col": 5,
        "code": "E999",
        "message": "E999 SyntaxError: '(' was never closed",
        "orchestrator": "",
    }
    assert run.err == ""


def test_walking_skips_virtualenvs_node_modules_hidden_and_excluded_folders(
    lint, write, sources
) -> None:
    root = write("proj/ok.py", sources["clean"]).parent
    for folder in (".venv", "node_modules", ".hidden", "env", "generated"):
        write(f"proj/{folder}/bad.py", sources["raw"])
    write("proj/env/pyvenv.cfg", "home = /usr/bin\n")
    write("proj/sub/bad.py", sources["raw"])

    run = lint("--format", "json", "--exclude", "generated", root)

    assert [Path(f["path"]).relative_to(root).as_posix() for f in run.findings] == ["sub/bad.py"]


def test_the_default_path_is_the_current_folder(lint, write, sources, monkeypatch) -> None:
    write("here/sub/raw.py", sources["raw"])
    monkeypatch.chdir(write("here/clean.py", sources["clean"]).parent)

    run = lint()

    assert run.lines[0].startswith("sub/raw.py:9:5: DUR101 ")


def test_python_dash_m_runs_the_linter(app) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "durable_lint", "--select", "DUR101", str(app)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1
    assert done.stdout.splitlines()[-1].startswith("Found 1 finding in 1 file")


@pytest.mark.parametrize("output_format", ["json", "text"])
def test_a_closed_output_pipe_ends_quietly(app, output_format) -> None:
    """``durable-lint --format json . | head`` : the reader is gone before the report is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now fails with EPIPE, as after `head` exits
    try:
        done = subprocess.run(
            [sys.executable, "-m", "durable_lint", "--format", output_format, str(app)],
            cwd=REPO,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=60,
        )
    finally:
        os.close(write_end)

    assert done.stderr == ""
    assert done.returncode == 1  # the lint's own answer: a finding


def test_version_names_the_distribution(lint) -> None:
    run = lint("--version")

    assert run.code == 0
    assert run.out.startswith("durable-lint ")  # the number: test_install.py, once installed
