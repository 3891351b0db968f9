"""The deployment package: only what .funcignore keeps, and the app indexes from it alone.

The package is rebuilt in a temporary folder and imported in a fresh interpreter whose sys.path
holds that folder, the standard library and the venv's site-packages (as the worker would after
a remote build of requirements.txt), never the repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pathspec
import pytest

from app_settings import FAKE_BILLING_API_ENABLED
from contract import CALCULATE_INVOICE, CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP

REPO = Path(__file__).resolve().parents[2]

MUST_EXCLUDE = [
    "tests/",
    "benchmarks/",
    "tools/",
    "tools/durable-devhost/devhost/",
    "tools/durable-lint/durable_lint/",
    "comparison/",
    "docs/",
    "infra/",
    "scripts/",
    ".venv/",
    ".azurite/",
    ".devhost/",
    "out/",
    "node_modules/",
    ".github/",
    ".vscode/",
    ".devcontainer/",
    "__pycache__/",
    ".pytest_cache/",
    ".ruff_cache/",
]
MUST_KEEP = ["function_app.py", "host.json", "requirements.txt", "app_settings.py"]
ORCHESTRATORS = {RAW_HTTP_LOOP, CALL_HTTP_LOOP, FAN_OUT_FAN_IN}
ACTIVITIES = {CALCULATE_INVOICE}
STARTER_ROUTES = {
    ("orchestrators/{name}", "POST"),
    ("compare", "POST"),
    ("runs/{instance_id}", "GET"),
}
BILLING_ROUTES = {
    ("billing/invoices", "POST"),
    ("billing/stats", "GET"),
    ("billing/stats", "DELETE"),
}

INDEX_SCRIPT = r"""
import importlib, json, sys
import azure.functions as func
module = importlib.import_module("function_app")
apps = [v for v in vars(module).values() if isinstance(v, func.FunctionRegister)]
assert len(apps) == 1, f"expected one app object in function_app.py, found {len(apps)}"
rows = []
for fn in apps[0].get_functions():
    for b in json.loads(fn.get_function_json())["bindings"]:
        if b.get("direction") == "IN" and b["type"].endswith("Trigger"):
            name = b.get("orchestration") or b.get("activity") or fn.get_function_name()
            rows.append({"type": b["type"], "name": name, "route": b.get("route"),
                         "methods": [m.upper() for m in b.get("methods") or []],
                         "auth": b.get("authLevel")})
outside = [m.__file__ for m in list(sys.modules.values())
           if getattr(m, "__file__", None) and m.__file__.startswith(sys.argv[1])
           and not m.__file__.startswith(sys.prefix)]
print(json.dumps({"triggers": rows, "repo_modules": outside}))
"""


def test_the_walker_keeps_what_gitignore_rules_keep(list_package, tmp_path: Path) -> None:
    """pathspec applies the rules; the walker must not enter an ignored folder, as Core Tools."""
    for rel in ("app.py", "pkg/mod.py", "pkg/mod.pyc", ".venv/lib/x.py", "docs/a.png", "keep.pyc"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    (tmp_path / ".git").write_text("gitdir: elsewhere", encoding="utf-8")  # a worktree's .git file
    rules = [".venv/", "*.py[cod]", "docs/*.png", "!keep.pyc", ".git"]
    spec = pathspec.GitIgnoreSpec.from_lines(rules)
    assert list_package(spec, tmp_path) == ["app.py", "keep.pyc", "pkg/mod.py"]


def test_funcignore_excludes_everything_not_deployed(packaged: list[str]) -> None:
    for folder in MUST_EXCLUDE:
        assert not [k for k in packaged if k.startswith(folder) or f"/{folder}" in k], folder
    for name in ("local.settings.json", "local.settings.json.example", ".gitignore", ".git"):
        assert name not in packaged, f".funcignore keeps {name}"
    assert not [k for k in packaged if k.endswith((".pyc", ".png", ".md"))]


def test_funcignore_keeps_the_app(packaged: list[str]) -> None:
    assert set(MUST_KEEP) <= set(packaged)
    for package in ("activities", "orchestrators", "invoices", "starters"):
        assert f"{package}/__init__.py" in packaged


@pytest.fixture(scope="module")
def package_dir(packaged: list[str], tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("package")
    for rel in packaged:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    return root


def _index(package_dir: Path, fake_billing: str) -> dict:
    site_packages = sysconfig.get_paths()["purelib"]
    bootstrap = f"import sys; sys.path[:0] = [{str(package_dir)!r}, {site_packages!r}]\n"
    env = {"PATH": os.environ.get("PATH", ""), FAKE_BILLING_API_ENABLED: fake_billing}
    done = subprocess.run(
        [sys.executable, "-I", "-c", bootstrap + INDEX_SCRIPT, str(REPO)],
        cwd=package_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"the package does not index:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def _durable(rows: list[dict], trigger: str) -> set[str]:
    return {r["name"].lower() for r in rows if r["type"] == trigger}


def _routes(rows: list[dict]) -> set[tuple[str, str]]:
    return {(r["route"], m) for r in rows if r["type"] == "httpTrigger" for m in r["methods"]}


def test_the_package_indexes_with_every_function(package_dir: Path) -> None:
    result = _index(package_dir, fake_billing="false")
    rows = result["triggers"]
    assert result["repo_modules"] == [], "the package imported files from the repository"
    assert _durable(rows, "orchestrationTrigger") == ORCHESTRATORS
    assert _durable(rows, "activityTrigger") == ACTIVITIES
    assert _routes(rows) == STARTER_ROUTES
    assert {r["auth"] for r in rows if r["type"] == "httpTrigger"} == {"FUNCTION"}


def test_the_billing_stand_in_is_registered_only_when_enabled(package_dir: Path) -> None:
    rows = _index(package_dir, fake_billing="true")["triggers"]
    assert _routes(rows) == STARTER_ROUTES | BILLING_ROUTES
    billing = [r for r in rows if r["type"] == "httpTrigger" and r["route"].startswith("billing/")]
    assert {r["auth"] for r in billing} == {"ANONYMOUS"}


def test_the_deploy_workflow_checks_functions_that_the_package_indexes(
    package_dir: Path, workflows: dict[str, dict]
) -> None:
    """azure-dev.yml fails a deployment that indexed none of these; they must be real names."""
    steps = workflows["azure-dev.yml"]["jobs"]["deploy"]["steps"]
    scripts = [s["run"] for s in steps if "az functionapp function list" in s.get("run", "")]
    (script,) = scripts
    (names,) = re.findall(r"for fn in ([a-z_ ]+); do", script)
    rows = _index(package_dir, fake_billing="false")["triggers"]
    indexed = _durable(rows, "orchestrationTrigger") | _durable(rows, "activityTrigger")
    assert set(names.split()) == indexed
