"""Compile infra/ with a real Bicep compiler when one is on this machine.

No package registry that our machines reach (PyPI, npm, Debian) ships the compiler: the `bicep`
CLI and `az bicep` download a binary from GitHub, and `bicep-node` on npm only wraps that
download. So in CI these tests skip, and the static checks in this folder stand in; on a
developer machine with `bicep` or `az` installed they compile main.bicep and every module.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

INFRA = Path(__file__).resolve().parents[2] / "infra"
BICEP_FILES = sorted(p.relative_to(INFRA).as_posix() for p in INFRA.rglob("*.bicep"))


def _compiler() -> list[str] | None:
    if shutil.which("bicep"):
        return ["bicep", "build", "--stdout"]
    if shutil.which("az"):
        probe = subprocess.run(["az", "bicep", "version"], capture_output=True, timeout=120)
        if probe.returncode == 0:
            return ["az", "bicep", "build", "--stdout", "--file"]
    return None


COMPILER = _compiler()
needs_compiler = pytest.mark.skipif(
    COMPILER is None,
    reason="no Bicep compiler (bicep or az bicep) on this machine; none is obtainable from "
    "PyPI, npm or Debian, so CI relies on the static checks (see docs/deploy.md)",
)


@needs_compiler
@pytest.mark.parametrize("rel", BICEP_FILES)
def test_bicep_file_compiles_to_an_arm_template(rel: str) -> None:
    done = subprocess.run(
        [*COMPILER, str(INFRA / rel)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    template = json.loads(done.stdout)
    assert template["$schema"].endswith("DeploymentTemplate.json#")
    assert "Warning" not in done.stderr, done.stderr
