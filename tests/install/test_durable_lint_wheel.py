"""The durable-lint wheel, installed alone in a fresh virtualenv, lints a project from anywhere.

The virtualenv has nothing else (the linter needs only the standard library); the command runs
from a folder where this repository is not on ``sys.path``.
"""

from __future__ import annotations

import subprocess
import zipfile

import pytest

pytestmark = pytest.mark.install


@pytest.fixture(scope="module")
def lint_venv(venv_factory, wheels, tmp_path_factory):
    venv = venv_factory("lint", with_dependencies=False)
    venv.install(wheels["durable-lint"], cwd=tmp_path_factory.getbasetemp())
    return venv


def test_the_wheel_holds_the_linter_and_nothing_of_the_app(wheels) -> None:
    wheel = wheels["durable-lint"]
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}

    assert tops == {"durable_lint", wheel.name.split("-py3")[0] + ".dist-info"}


def test_the_installed_command_lints_a_project_from_anywhere(
    lint_venv, write, tmp_path, clean_env
) -> None:
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
    script = lint_venv.script("durable-lint")

    done = subprocess.run(
        [str(script), "app.py"],
        cwd=tmp_path / "project",
        capture_output=True,
        text=True,
        check=False,
        env=clean_env,
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
