"""The workflows' `run:` blocks are shellcheck-clean, as actionlint would check them.

actionlint runs shellcheck on every `run:` block when shellcheck is on PATH, with the step's
shell (GitHub's default on Linux runners is `bash -e {0}`) and every `${{ }}` expression replaced
by a placeholder of the same length. This test does the same with PyYAML's reading of the files,
so `make test` checks the scripts wherever shellcheck is installed (.ci/run installs it on CI) and
says why it skips where it is not.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)


def _run_blocks(workflows: dict[str, dict]) -> list[tuple[str, str]]:
    """(where, script) for every `run:` step, `where` naming the workflow, job and step."""
    blocks = []
    for file, workflow in workflows.items():
        for job_name, job in workflow["jobs"].items():
            for number, step in enumerate(job.get("steps", []), 1):
                if "run" in step:
                    where = f"{file} job {job_name} step {number} ({step.get('name', 'run')})"
                    blocks.append((where, step["run"]))
    return blocks


def _shellcheck(script: str) -> str:
    """shellcheck's findings (gcc format) for one block, checked as bash; '' when clean."""
    text = EXPRESSION.sub(lambda m: "_" * len(m.group()), script)
    done = subprocess.run(
        ["shellcheck", "--shell=bash", "--format=gcc", "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def test_the_workflows_have_run_blocks_to_check(workflows) -> None:
    """Exact count, so a refactor that hides the scripts from this check fails here."""
    assert len(_run_blocks(workflows)) == 9


@pytest.mark.skipif(not shutil.which("shellcheck"), reason="shellcheck is not installed")
def test_every_run_block_is_shellcheck_clean(workflows) -> None:
    findings = {where: _shellcheck(script) for where, script in _run_blocks(workflows)}
    assert {where: out for where, out in findings.items() if out} == {}


@pytest.mark.skipif(not shutil.which("shellcheck"), reason="shellcheck is not installed")
def test_shellcheck_finds_the_mistakes_it_is_here_for() -> None:
    """The check can fail: the three shapes the deploy workflow had (SC2034, SC2116, SC2013)."""
    script = (
        'for attempt in $(seq 1 3); do echo "$(echo $names)"; done\n'
        "for n in $(grep x f); do :; done\n"
    )
    codes = set(re.findall(r"\[(SC\d+)\]", _shellcheck(script)))
    assert {"SC2034", "SC2116", "SC2086", "SC2013"} <= codes
