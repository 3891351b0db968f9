"""The dev setup hangs together: VS Code, the dev container and scripts/start-local.sh."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _jsonc(path: Path) -> dict:
    """JSON with whole-line // comments, as devcontainer.json allows."""
    text = re.sub(r"^\s*//.*$", "", path.read_text(encoding="utf-8"), flags=re.M)
    return json.loads(text)


def test_the_debugger_attaches_after_a_task_that_exists() -> None:
    launch = _jsonc(REPO / ".vscode" / "launch.json")
    tasks = {t["label"] for t in _jsonc(REPO / ".vscode" / "tasks.json")["tasks"]}
    (attach,) = [c for c in launch["configurations"] if c["request"] == "attach"]
    assert attach["connect"]["port"] == 9091  # the port Core Tools' Python worker listens on
    assert attach["preLaunchTask"] in tasks
    assert {"Azurite: start", "func: host start", "tests: make test"} <= tasks


def test_recommended_extensions_cover_functions_python_azurite_bicep() -> None:
    wanted = {
        "ms-azuretools.vscode-azurefunctions",
        "ms-python.python",
        "Azurite.azurite",
        "ms-azuretools.vscode-bicep",
    }
    assert wanted <= set(_jsonc(REPO / ".vscode" / "extensions.json")["recommendations"])


def test_the_dev_container_installs_every_tool_make_start_and_azd_need() -> None:
    container = _jsonc(REPO / ".devcontainer" / "devcontainer.json")
    assert re.search(r"python:\d+-3\.11-", container["image"])
    features = " ".join(container["features"])
    tools = ("features/node:", "features/azure-cli:", "azure-dev/azd:", "functions-core-tools:")
    for tool in tools:
        assert tool in features, f"no dev container feature for {tool}"
    assert container["postCreateCommand"] == "make setup"


def test_start_local_without_core_tools_says_how_to_install_them(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"  # a PATH with the basics and no func, npx or node
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "cat", "cp", "mkdir"):
        found = shutil.which(tool)
        assert found, f"{tool} is missing on this machine"
        (bin_dir / tool).symlink_to(found)
    done = subprocess.run(
        [str(bin_dir / "bash"), str(REPO / "scripts" / "start-local.sh")],
        env={"PATH": str(bin_dir), "HOME": os.environ.get("HOME", str(tmp_path))},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 127, done.stderr
    assert "npm i -g azure-functions-core-tools@4 --unsafe-perm true" in done.stderr


def test_make_start_runs_the_script() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^start:.*\n\t\./scripts/start-local\.sh$", makefile, re.M)
    assert os.access(REPO / "scripts" / "start-local.sh", os.X_OK), "start-local.sh not executable"
