"""`make` checks the interpreter before it installs anything, and rebuilds a .venv that another
interpreter made.

The interpreters here are stand-ins: tiny scripts that answer the Makefile's one question
(`python -c ...`: version and path) and log every call, so a test sees that nothing was
installed. A real Python 3.10, when this machine has one, gets the same check."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# The stand-in interpreters are sh scripts, and the check is make's (docs/development.md: Windows
# has neither).
pytestmark = pytest.mark.skipif(
    os.name == "nt" or not shutil.which("make"), reason="needs make and sh (Linux, macOS)"
)


def _fake_python(
    folder: Path, version: tuple[int, int, int], name: str = "", reports: str = ""
) -> Path:
    """An 'interpreter' that reports `version` and its path, and logs how it was called."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / (name or f"python{version[0]}.{version[1]}")
    log = folder / "calls.log"
    answer = " ".join(map(str, version)) + f" {reports or exe}"
    exe.write_text(
        f'#!/bin/sh\necho "$*" >> "{log}"\n'
        f'if [ "$1" = "-c" ]; then echo "{answer}"; else exit 1; fi\n',
        encoding="utf-8",
    )
    exe.chmod(0o755)
    return exe


def _make(*args: str, path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    env = {k: v for k, v in env.items() if k not in {"PYTHON", "VENV"}}
    if path:
        env["PATH"] = f"{path}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,  # a hang guard, not a speed target
    )


def _venv_cfg(venv: Path, home: Path, version: str, key: str = "version") -> None:
    """A pyvenv.cfg as venv writes it (`version`), or as virtualenv does (`version_info`)."""
    venv.mkdir(parents=True)
    cfg = f"home = {home}\ninclude-system-site-packages = false\n{key} = {version}\n"
    (venv / "pyvenv.cfg").write_text(cfg, encoding="utf-8")
    (venv / ".installed").touch()  # newer than the requirements files: up to date


def test_python_310_stops_before_installing_with_one_line(tmp_path: Path) -> None:
    python = _fake_python(tmp_path / "bin", (3, 10, 12))
    venv = tmp_path / "venv"
    done = _make("demo", f"PYTHON={python}", f"VENV={venv}")
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "Python 3.11 or newer is needed" in line
    assert f"is Python 3.10.12 at {python}" in line
    assert "choose another with PYTHON=, e.g. make demo PYTHON=python3.11" in line
    assert not venv.exists()
    calls = (tmp_path / "bin" / "calls.log").read_text(encoding="utf-8").splitlines()
    assert len(calls) == 1 and calls[0].startswith("-c ")  # asked its version, nothing else


def test_the_development_guide_shows_the_line_make_prints(tmp_path: Path) -> None:
    """docs/development.md: `python3` is Ubuntu 22.04's /usr/bin/python3, Python 3.10.12."""
    bin_dir = tmp_path / "bin"
    _fake_python(bin_dir, (3, 10, 12), name="python3", reports="/usr/bin/python3")
    done = _make("demo", f"VENV={tmp_path / 'venv'}", path=bin_dir)
    guide = (REPO / "docs" / "development.md").read_text(encoding="utf-8")
    (example,) = [line for line in guide.splitlines() if line.startswith("Makefile:")]
    (line,) = done.stderr.splitlines()
    # The same line, bar the Makefile line number that any edit above the check moves.
    assert re.sub(r"^Makefile:\d+: ", "", line) == re.sub(r"^Makefile:\d+: ", "", example)


def test_a_missing_interpreter_is_named_in_one_line(tmp_path: Path) -> None:
    done = _make("test", f"PYTHON={tmp_path / 'python3.11'}", f"VENV={tmp_path / 'venv'}")
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert f"PYTHON={tmp_path / 'python3.11'} does not run" in line
    assert "make test PYTHON=python3.11" in line


@pytest.mark.parametrize("target", ["help", "clean"])
def test_targets_that_need_no_python_skip_the_check(target: str, tmp_path: Path) -> None:
    python = _fake_python(tmp_path / "bin", (3, 10, 12))
    done = _make("-n", target, f"PYTHON={python}", f"VENV={tmp_path / 'venv'}")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "bin" / "calls.log").exists()


def test_python_312_builds_the_venv_with_that_interpreter(tmp_path: Path) -> None:
    python = _fake_python(tmp_path / "bin", (3, 12, 1))
    venv = tmp_path / "venv"
    done = _make("-n", "setup", f"PYTHON={python}", f"VENV={venv}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"{python} -m venv {venv}"
    assert "rm -rf" not in done.stdout


def test_a_venv_made_by_another_interpreter_is_rebuilt(tmp_path: Path) -> None:
    python = _fake_python(tmp_path / "new" / "bin", (3, 11, 7))
    venv = tmp_path / "venv"
    _venv_cfg(venv, home=tmp_path / "old" / "bin", version="3.11.7")
    (tmp_path / "old" / "bin").mkdir(parents=True)
    done = _make("-n", "setup", f"PYTHON={python}", f"VENV={venv}")
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()[:2]
    assert f"{venv} was made by Python 3.11 in {tmp_path / 'old' / 'bin'}" in first
    assert first.endswith(f"&& rm -rf {venv}")
    assert second == f"{python} -m venv {venv}"


def test_a_venv_made_by_another_minor_version_is_rebuilt(tmp_path: Path) -> None:
    python = _fake_python(tmp_path / "bin", (3, 12, 1))
    venv = tmp_path / "venv"
    _venv_cfg(venv, home=tmp_path / "bin", version="3.11.7")
    done = _make("-n", "setup", f"PYTHON={python}", f"VENV={venv}")
    assert "was made by Python 3.11" in done.stdout
    assert f"rm -rf {venv}" in done.stdout


def test_a_virtualenv_made_by_another_minor_version_is_rebuilt(tmp_path: Path) -> None:
    python = _fake_python(tmp_path / "bin", (3, 12, 1))
    venv = tmp_path / "venv"
    _venv_cfg(venv, home=tmp_path / "bin", version="3.10.12.final.0", key="version_info")
    done = _make("-n", "setup", f"PYTHON={python}", f"VENV={venv}")
    assert f"{venv} was made by Python 3.10 in {tmp_path / 'bin'}" in done.stdout


def test_a_venv_made_by_the_same_interpreter_is_kept(tmp_path: Path) -> None:
    python = _fake_python(tmp_path / "bin", (3, 11, 9))
    venv = tmp_path / "venv"
    _venv_cfg(venv, home=tmp_path / "bin", version="3.11.7")  # a patch release apart: same venv
    done = _make("-n", "setup", f"PYTHON={python}", f"VENV={venv}")
    assert done.returncode == 0, done.stderr
    assert "rm -rf" not in done.stdout and "-m venv" not in done.stdout


@functools.cache  # asked at collection (skipif) and again by the test: probe once
def _real_python_310() -> str | None:
    """python3.10 on PATH, or one that pyenv installed (its shim alone may refuse to run)."""
    candidates = [shutil.which("python3.10")]
    if shutil.which("pyenv"):
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=60)
        candidates += sorted(
            str(p) for p in Path(root.stdout.strip()).glob("versions/3.10.*/bin/python3.10")
        )
    for found in filter(None, candidates):
        probe = subprocess.run(
            [found, "-c", "import sys; print(sys.version_info[:2] == (3, 10))"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if probe.stdout.strip() == "True":
            return found
    return None


@pytest.mark.skipif(_real_python_310() is None, reason="no Python 3.10 on this machine")
def test_a_real_python_310_stops_the_same_way(tmp_path: Path) -> None:
    python = _real_python_310()
    done = _make("demo", f"PYTHON={python}", f"VENV={tmp_path / 'venv'}")
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "Python 3.11 or newer is needed" in line and "is Python 3.10." in line
    assert not (tmp_path / "venv").exists()
