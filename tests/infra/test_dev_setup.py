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


def _make_recipe(target: str) -> list[str]:
    """The recipe lines of a Makefile target, following the targets it depends on."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    rule = rf"^{target}:([^\n#]*)(?:##[^\n]*)?\n((?:\t[^\n]*\n)*)"
    (header, body) = re.findall(rule, makefile, re.M)[0]
    targets = [dep for dep in header.split() if not dep.startswith("$(")]
    before = [line for dep in targets for line in _make_recipe(dep)]
    return before + [line.strip() for line in body.splitlines()]


def _windows(command: str) -> str:
    return command.replace("$(PY)", ".venv\\Scripts\\python")


def test_every_make_task_has_a_windows_variant_running_the_same_commands() -> None:
    """Windows has no make: its variant runs the recipe's commands with the venv's python.exe."""
    tasks = _jsonc(REPO / ".vscode" / "tasks.json")
    assert tasks["windows"]["options"]["shell"]["executable"] == "powershell.exe"
    checked = 0
    for task in tasks["tasks"]:
        command = task["command"]
        if not command.startswith("make ") or command == "make start":  # start is a bash script
            continue
        windows = task["windows"]["command"]
        target = command.split()[1]
        if target == "setup":
            assert windows.endswith(".venv\\Scripts\\python -m pip install -r requirements-dev.txt")
        else:
            recipe = [_windows(line) for line in _make_recipe(target)]
            recipe = [line.replace(" --port $(PORT)", " --port 7071") for line in recipe]
            # STRICT=1 is opt-in; the default recipe (flag empty) is what Windows runs.
            recipe = [line.replace("$(STRICT_FLAG)", "") for line in recipe]
            positions = [windows.find(line) for line in recipe]
            assert -1 not in positions and positions == sorted(positions), (target, recipe)
        checked += 1
    assert checked == 4


def test_the_development_guide_windows_commands_are_the_tasks_commands() -> None:
    guide = (REPO / "docs" / "development.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```powershell\n(.*?)```", guide, re.S)
    tasks = _jsonc(REPO / ".vscode" / "tasks.json")["tasks"]
    windows = " ; ".join(t["windows"]["command"] for t in tasks if "windows" in t)
    for line in block.strip().splitlines():
        assert line in windows, line


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
    assert re.search(r"python:\d+-3\.12-", container["image"])  # what infra/ deploys
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
