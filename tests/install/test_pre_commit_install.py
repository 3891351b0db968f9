"""The pre-commit hook's environment, built as pre-commit builds it, offline.

pre-commit (languages/python.py, `install_environment`) runs `pip install . <the hook's
additional_dependencies>` in its clone of a hook repository, from the clone's root, then runs
the hook's `entry` with the staged file names. Here the same pip command runs in a copy of this
repository (without the index: `--no-build-isolation`, with this environment's setuptools)
into a fresh virtualenv, and the entry then lints a user's file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.install

REPO = Path(__file__).resolve().parents[2]
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "out", "build", "*.egg-info", "__pycache__", ".*_cache", "node_modules"
)


def test_the_hook_installs_from_the_root_and_lints(venv_factory, write, tmp_path, clean_env):
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    clone = tmp_path / "clone"
    shutil.copytree(REPO, clone, ignore=NOT_COPIED)
    venv = venv_factory("pre-commit")  # setuptools to build with comes from this environment

    out = venv.install("--no-build-isolation", ".", *hook["additional_dependencies"], cwd=clone)
    write(
        "user/app.py",
        """
        import azure.durable_functions as df
        import requests

        bp = df.Blueprint()

        @bp.orchestration_trigger(context_name="context")
        def orchestrate(context):
            requests.post("http://127.0.0.1:9/")
            return None
        """,
    )
    done = subprocess.run(
        [venv.script(hook["entry"]), "--select", "DUR001", "app.py"],
        cwd=tmp_path / "user",
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    app_importable = subprocess.run(
        [venv.python, "-c", "import function_app"], cwd=tmp_path, env=clean_env, timeout=60
    )

    installed = out.splitlines()[-1].replace("Successfully installed ", "").split()
    assert sorted(installed) == ["durable-invoices-0.0.0", "durable-lint-0.2.0"]
    assert app_importable.returncode != 0  # the root installs nothing of the app
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0].startswith("app.py:8:5: DUR001 `requests.post`")
