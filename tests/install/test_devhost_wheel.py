"""The durable-devhost wheel in a fresh virtualenv: its command serves an app, and a user's
pytest finds the `durable_app` fixture through the plugin's entry point, with no conftest.py.

The virtualenv gets devhost's dependencies (azure-functions, azure-functions-durable, aiohttp;
pytest and pytest-asyncio for the user's tests) from this environment, and nothing of this
repository: not the app, not durable_lint (only the `strict` extra brings it).
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.install

HELLO_APP = Path(__file__).resolve().parents[1] / "devhost" / "apps" / "hello_v2"
_API = re.compile(r"Durable HTTP API: (http://127\.0\.0\.1:\d+)/")


@pytest.fixture(scope="module")
def devhost_venv(venv_factory, wheels, tmp_path_factory):
    venv = venv_factory("devhost")
    venv.install(wheels["durable-devhost"], cwd=tmp_path_factory.getbasetemp())
    return venv


def _wheel_files(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_wheel_holds_devhost_its_command_and_its_plugin(wheels) -> None:
    files = _wheel_files(wheels["durable-devhost"])
    info = next(name.split("/")[0] for name in files if name.endswith(".dist-info/METADATA"))
    requires = [line for line in files[f"{info}/METADATA"].splitlines() if "Requires-Dist" in line]

    assert {name.split("/")[0] for name in files} == {"devhost", info}
    assert sorted(requires) == [
        "Requires-Dist: aiohttp<4,>=3.9",
        "Requires-Dist: azure-functions-durable<2,>=1.7",
        "Requires-Dist: azure-functions<2,>=1.21",
        'Requires-Dist: durable-lint>=0.2; extra == "strict"',
    ]
    assert files[f"{info}/entry_points.txt"].split() == [
        "[console_scripts]",
        "devhost",
        "=",
        "devhost.__main__:main",
        "[pytest11]",
        "devhost",
        "=",
        "devhost.testing.pytest_plugin",
    ]


def test_devhost_alone_imports_without_an_app_or_the_linter(devhost_venv, clean_env) -> None:
    probe = (
        "import importlib.util, sys\n"
        "import devhost, devhost.testing.hosts, devhost.http.serve, devhost.testing.pytest_plugin\n"
        "missing = ['durable_lint', 'app_settings', 'contract', 'function_app']\n"
        "print(sorted(m for m in missing if importlib.util.find_spec(m)))\n"
    )
    done = subprocess.run(
        [devhost_venv.python, "-c", probe],
        cwd=devhost_venv.root,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_devhost_serve_runs_an_orchestration(devhost_venv, clean_env, tmp_path) -> None:
    app = tmp_path / "hello"
    shutil.copytree(HELLO_APP, app, ignore=shutil.ignore_patterns("__pycache__"))
    process = subprocess.Popen(
        [devhost_venv.script("devhost"), "serve", "--app-dir", ".", "--port", "0", "--in-memory"],
        cwd=app,
        env={**clean_env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:  # the banner, up to its last line
            lines.append(line)
            if "Press Ctrl+C to stop" in line:
                break
        [base] = [m.group(1) for line in lines if (m := _API.search(line))]

        started = requests.post(
            f"{base}/api/orchestrators/hello_sequence", json=["Tokyo"], timeout=10
        )
        status_url = started.json()["statusQueryGetUri"]
        deadline = time.monotonic() + 30
        while (status := requests.get(status_url, timeout=10).json())[
            "runtimeStatus"
        ] != "Completed":
            assert time.monotonic() < deadline, json.dumps(status)
            time.sleep(0.05)

        assert started.status_code == 202
        assert status["output"] == ["Hello Tokyo!"]  # GREETING from local.settings.json.example
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_a_users_pytest_gets_durable_app_from_the_entry_point(
    devhost_venv, clean_env, write, tmp_path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(HELLO_APP, project / "app", ignore=shutil.ignore_patterns("__pycache__"))
    write("project/pyproject.toml", '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n')
    write(
        "project/tests/test_hello.py",
        """
        from pathlib import Path

        APP = Path(__file__).parents[1] / "app"


        async def test_hello_sequence(durable_app):
            app = await durable_app(APP, env={"GREETING": "Hello"})
            instance_id = await app.start("hello_sequence", ["Tokyo", "Seattle"])
            status = await app.wait(instance_id)

            assert status.output == ["Hello Tokyo!", "Hello Seattle!"]
            assert app.counters(instance_id).episodes == 3
        """,
    )

    done = subprocess.run(
        [devhost_venv.python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert not list(project.rglob("conftest.py"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("1 passed")


def test_the_strict_extra_brings_durable_lint(venv_factory, wheels, clean_env, tmp_path) -> None:
    venv = venv_factory("devhost-strict")
    dist = wheels["durable-devhost"].parent

    out = venv.install("durable-devhost[strict]", cwd=tmp_path, find_links=dist)
    codes = subprocess.run(
        [venv.python, "-c", "from durable_lint.rules.codes import CODES; print(sorted(CODES)[0])"],
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert "durable-lint-0.2.0" in out.replace("_", "-")
    assert codes.stdout.strip() == "DUR001", codes.stderr
