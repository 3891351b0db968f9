"""The pre-commit hook definition points at a script that runs the linter without installing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _hook_field(name: str) -> str:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    match = re.search(rf"^\s+{name}: (.+)$", text, re.MULTILINE)
    assert match, f"{name} missing from .pre-commit-hooks.yaml"
    return match.group(1).strip()


def test_the_hook_is_an_executable_script_over_whole_folders() -> None:
    entry = REPO / _hook_field("entry")

    assert _hook_field("language") == "script"
    assert _hook_field("pass_filenames") == "false"
    assert entry.is_file()
    assert os.access(entry, os.X_OK)
    assert entry.read_text(encoding="utf-8").startswith("#!/usr/bin/env python3\n")


def test_the_hook_script_runs_from_another_folder(write, sources, tmp_path) -> None:
    write("user_repo/app/raw.py", sources["raw"])
    entry = REPO / _hook_field("entry")

    done = subprocess.run(
        [sys.executable, str(entry), "--no-noqa", "app"],
        cwd=tmp_path / "user_repo",
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": ""},
    )

    assert done.returncode == 1, done.stderr
    assert [line.split()[:2] for line in done.stdout.splitlines()[:-1]] == [
        ["app/raw.py:9:5:", "DUR101"],
        ["app/raw.py:11:9:", "DUR001"],
    ]
