"""`pip install` from a copy of this repository gives a working `durable-lint` elsewhere.

Marked ``install``: it builds a wheel and a virtualenv (about 5 s), offline. The wheel is
built with this environment's setuptools (``--no-build-isolation``, requirements-dev.txt) and
installed with ``--no-index`` into a virtualenv that has nothing else; the command then runs
from a folder where this repository is not on ``sys.path``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "out", "build", "*.egg-info", "__pycache__", ".*_cache", "node_modules"
)
pytestmark = pytest.mark.install


def _pip(*args: str, cwd: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the virtualenv's durable-lint) built from a copy of the repository root."""
    tmp = tmp_path_factory.mktemp("install")
    clone = tmp / "clone"
    shutil.copytree(REPO, clone, ignore=_NOT_COPIED)
    _pip(
        "wheel", "--no-index", "--no-build-isolation", "--no-deps", "-w", "dist", "./clone", cwd=tmp
    )
    [wheel] = (tmp / "dist").glob("durable_lint-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=60)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _pip("--python", str(python), "install", "--no-index", str(wheel), cwd=tmp)
    script = python.parent / ("durable-lint.exe" if os.name == "nt" else "durable-lint")
    return wheel, script


def test_the_wheel_holds_the_linter_and_nothing_of_the_app(installed) -> None:
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}

    assert tops == {"durable_lint", wheel.name.split("-py3")[0] + ".dist-info"}


def test_the_installed_command_lints_a_project_from_anywhere(installed, write, tmp_path) -> None:
    _, script = installed
    write("project/pyproject.toml", '[tool.durable_lint]\nignore = ["DUR101"]\n')
    write(
        "project/app.py",
        """
        import azure.durable_functions as df
        import requests

        bp = df.Blueprint()
        session = requests.Session()

        @bp.orchestration_trigger(context_name="context")
        def orchestrate(context):
            for item in context.get_input():
                yield context.call_activity("work", item)
            session.get("http://127.0.0.1:9/")
        """,
    )

    done = subprocess.run(
        [str(script), "app.py"],
        cwd=tmp_path / "project",
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
        timeout=60,
    )

    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        "app.py:11:5: DUR001 `session.get` on module-level `requests.Session()` does network or "
        "storage I/O, which runs again on every replay: move it to an activity, or use "
        "`context.call_http`",
        "Found 1 finding in 1 file (1 file checked).",
    ]
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == "durable-lint 0.2.0"
