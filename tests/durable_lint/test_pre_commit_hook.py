"""The pre-commit hook: installed with pip, it lints exactly the files pre-commit passes.

pre-commit runs ``entry`` + ``args`` + the staged file names from the repository's root. These
tests run that command line (``python -m durable_lint`` is what the ``durable-lint`` console
script calls) without pre-commit itself, which would need the network to build the hook's
environment; tests/install/test_pre_commit_install.py builds that environment as pre-commit
does, offline, and docs/durable_lint.md says how ``pre-commit try-repo`` was run by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]

ACTIVITIES = """
    import azure.durable_functions as df

    bp = df.Blueprint()

    @bp.activity_trigger(input_name="invoice")
    def calculate_invoice(invoice):
        return invoice
"""

ORCHESTRATOR = """
    import azure.durable_functions as df
    import requests

    bp = df.Blueprint()

    @bp.orchestration_trigger(context_name="context")
    def {name}(context):
        requests.post("http://127.0.0.1:9/")
        return (yield context.call_activity("calculate_invoise", 1))
"""


@pytest.fixture
def hook() -> dict:
    [definition] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return definition


@pytest.fixture
def user_repo(write, tmp_path) -> Path:
    """A user's project: a pyproject.toml, its activities, and two orchestrator modules."""
    write("user_repo/pyproject.toml", '[project]\nname = "invoices"\n')
    write("user_repo/app/activities.py", ACTIVITIES)
    write("user_repo/app/first.py", ORCHESTRATOR.format(name="first"))
    write("user_repo/app/second.py", ORCHESTRATOR.format(name="second"))
    return tmp_path / "user_repo"


def run_hook(hook: dict, repo: Path, *files: str) -> list[tuple[str, int, str]]:
    """What pre-commit runs: the entry's module, the hook's args, then the file names."""
    done = subprocess.run(
        [sys.executable, "-m", "durable_lint", *hook.get("args", []), "--format", "json", *files],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},  # the installed linter
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr
    return [(f["path"], f["line"], f["code"]) for f in json.loads(done.stdout)]


def test_the_hook_installs_the_console_script_and_passes_file_names(hook) -> None:
    """pre-commit runs `pip install .` at the root, then the additional_dependencies: the
    linter's own folder, whose console script is the entry (tests/install/ builds it)."""
    [folder] = hook["additional_dependencies"]
    project = tomllib.loads((REPO / folder / "pyproject.toml").read_text(encoding="utf-8"))
    root = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))

    assert hook["language"] == "python"
    assert project["project"]["name"] == "durable-lint"
    assert project["project"]["scripts"][hook["entry"]] == "durable_lint.__main__:main"
    assert root["tool"]["setuptools"]["packages"] == []  # the root installs nothing itself
    assert hook.get("pass_filenames", True) is True
    assert hook["types"] == ["python"]


def test_the_hook_reports_only_the_files_it_is_given(hook, user_repo) -> None:
    assert run_hook(hook, user_repo, "app/first.py") == [
        ("app/first.py", 8, "DUR001"),
        ("app/first.py", 9, "DUR008"),
    ]


def test_dur008_answers_the_same_whichever_files_are_passed(hook, user_repo) -> None:
    """The registrations come from the whole project, not from the files that changed."""
    alone = run_hook(hook, user_repo, "app/second.py")
    with_activities = run_hook(hook, user_repo, "app/activities.py", "app/second.py")
    everything = run_hook(hook, user_repo, "app/activities.py", "app/first.py", "app/second.py")

    expected = [("app/second.py", 8, "DUR001"), ("app/second.py", 9, "DUR008")]
    assert alone == with_activities == expected
    assert [f for f in everything if f[0] == "app/second.py"] == expected


def test_excluded_files_are_not_linted_even_when_passed(hook, user_repo) -> None:
    pyproject = user_repo / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + '[tool.durable_lint]\nexclude = ["app/second.py"]\n'
    )

    assert run_hook(hook, user_repo, "app/first.py", "app/second.py") == [
        ("app/first.py", 8, "DUR001"),
        ("app/first.py", 9, "DUR008"),
    ]
