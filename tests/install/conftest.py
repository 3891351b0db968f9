"""The install tests: both tools' wheels built once per session, fresh virtualenvs, offline.

Each module is marked ``install`` (``-m 'not install'`` skips them). Every pip call runs with
``--no-index`` and no pip configuration file: nothing comes from a package index. The wheels
are built from copies of tools/<distribution>/ with this environment's setuptools
(``--no-build-isolation``, requirements-dev.txt). A virtualenv that needs devhost's
dependencies takes them from this environment's site-packages, as a project's own environment
would provide them: a folder of links to them, less this repository's tools, added by a .pth.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools"
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "out", "build", "*.egg-info", "__pycache__", ".*_cache", "node_modules"
)
# pip and Python with nothing of this session's settings: no index, no config, no PYTHONPATH.
CLEAN_ENV = {
    **{
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PIP_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")
    },
    "PIP_CONFIG_FILE": os.devnull,
    "PIP_NO_INDEX": "1",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
}
# This repository's tools as installed in this environment (editable): never a dependency.
_OWN = ("durable_lint", "durable_devhost", "__editable__")


def run(*args: str | Path, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """A command in the clean environment; AssertionError with its output if it fails."""
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{args}:\n{done.stdout}{done.stderr}"
    return done


def pip(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pip", *args, cwd=cwd)


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """{distribution name: its wheel}, both built in one pip run from copies of tools/."""
    tmp = tmp_path_factory.mktemp("wheels")
    sources = []
    for folder in ("durable-lint", "durable-devhost"):
        shutil.copytree(TOOLS / folder, tmp / "src" / folder, ignore=NOT_COPIED)
        sources.append(tmp / "src" / folder)
    pip("wheel", "--no-build-isolation", "--no-deps", "-w", tmp / "dist", *sources, cwd=tmp)
    [lint] = (tmp / "dist").glob("durable_lint-*.whl")
    [devhost] = (tmp / "dist").glob("durable_devhost-*.whl")
    return {"durable-lint": lint, "durable-devhost": devhost}


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Links to this environment's installed packages, less this repository's own tools."""
    folder = tmp_path_factory.mktemp("project-site")
    sites = {Path(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")}
    for site in sites:
        for entry in site.iterdir():
            name = entry.name.lower()
            if name.startswith(_OWN) or name.endswith(".pth") or name == "__pycache__":
                continue
            if not (folder / entry.name).exists():
                (folder / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return folder


class Venv:
    """A fresh virtualenv without pip; pip runs from this environment with ``--python``."""

    def __init__(self, where: Path, site: Path | None) -> None:
        run(sys.executable, "-m", "venv", "--without-pip", where, cwd=where.parent)
        self.root = where
        self.python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        if site is not None:
            purelib = run(
                self.python,
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                cwd=where,
            ).stdout.strip()
            Path(purelib, "_project_site.pth").write_text(f"{site}\n", encoding="utf-8")

    def script(self, name: str) -> Path:
        return self.python.parent / (f"{name}.exe" if os.name == "nt" else name)

    def install(self, *requirements: str | Path, cwd: Path, find_links: Path | None = None) -> str:
        links = ["--find-links", str(find_links)] if find_links else []
        return pip("--python", self.python, "install", *links, *requirements, cwd=cwd).stdout


@pytest.fixture(scope="session")
def venv_factory(tmp_path_factory: pytest.TempPathFactory, project_site: Path):
    """``venv_factory(name, with_dependencies=True)``: a fresh virtualenv in its own folder."""

    def make(name: str, with_dependencies: bool = True) -> Venv:
        where = tmp_path_factory.mktemp("venvs") / name
        return Venv(where, project_site if with_dependencies else None)

    return make


@pytest.fixture(scope="session")
def clean_env() -> dict[str, str]:
    """The environment for commands run in the virtualenvs (no PYTHONPATH, no pip settings)."""
    return dict(CLEAN_ENV)
