"""The GitHub workflows: valid against SchemaStore's workflow schema, on current action majors
(Node 24), caching pip, and logging in to Azure with an OIDC subject that `azd pipeline config`
creates, as docs/deploy.md says.

What azd creates is in Azure/azure-dev, cli/azd/pkg/pipeline/github_provider.go
(credentialOptions): one federated credential per branch (the current one and main),
`repo:{owner}/{repo}:ref:refs/heads/{branch}`, and one `repo:{owner}/{repo}:pull_request`. A job
with `environment: X` presents `repo:{owner}/{repo}:environment:X` instead, which matches neither
(AADSTS700213, Azure/azure-dev#5473). azd looks for `.github/workflows/azure-dev.yml` or
`azure-dev.yaml` (pipeline.go, pipelineFileNames) and offers to add one when neither exists.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from app_settings import FAKE_BILLING_API_ENABLED, INVOICE_API_URL, MAX_INVOICE_COUNT

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "deploy.md"
OIDC_HEADING = "### OIDC: the federated credentials"
WORKFLOW_SCHEMA = "https://json.schemastore.org/github-workflow.json"

# The current major of each action we use, all on Node 24 (checked 2026-11-28 in the actions'
# release threads: checkout v7.0.1 2026-07-20, setup-python v7.0.0 2026-07, azure/login v3
# 2026-03, Azure/setup-azd v2.3.0 moved v2 to Node 24 on 2026-04-17).
CURRENT_MAJORS = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "azure/login": "v3",
    "Azure/setup-azd": "v2",
}
AZD_SUBJECTS = {"branch", "pull_request"}  # what `azd pipeline config` creates


def _steps(workflow: dict) -> list[tuple[str, dict, dict]]:
    return [(name, job, step) for name, job in workflow["jobs"].items() for step in job["steps"]]


def _logs_in_to_azure(step: dict) -> bool:
    return step.get("uses", "").lower().startswith("azure/login@") or (
        "azd auth login" in step.get("run", "") and "federated-credential" in step["run"]
    )


def _subjects(workflow: dict) -> set[str]:
    """The subject kinds the OIDC tokens of a workflow's Azure logins carry."""
    kinds: set[str] = set()
    for _name, job, step in _steps(workflow):
        if not _logs_in_to_azure(step):
            continue
        if "environment" in job:
            kinds.add("environment")
            continue
        for event, spec in workflow["on"].items():
            if event == "pull_request":
                kinds.add("pull_request")
            elif event == "push" and spec and ("tags" in spec or "branches" not in spec):
                kinds.add("tag")  # a push without a branch filter includes tag pushes
            elif event in {"workflow_dispatch", "push", "schedule"}:
                kinds.add("branch")
            else:
                kinds.add(event)
    return kinds


def _doc_table() -> list[tuple[str, str, str]]:
    """(subject, created by azd, used by azure-dev.yml) rows under OIDC_HEADING."""
    text = DOC.read_text(encoding="utf-8")
    assert OIDC_HEADING in text, f"docs/deploy.md lacks the section {OIDC_HEADING!r}"
    section = text.split(OIDC_HEADING, 1)[1].split("\n#", 1)[0]
    return re.findall(r"^\| `(repo:[^`]+)` \| ([^|]+?) \| ([^|]+?) \|$", section, re.M)


def _kind(subject: str) -> str:
    tail = subject.split(":", 2)[2]
    return {"ref": "branch", "pull_request": "pull_request", "environment": "environment"}[
        tail.split(":")[0]
    ]


def test_every_workflow_is_valid_against_schemastore(workflows, schemastore) -> None:
    schema = schemastore(WORKFLOW_SCHEMA)
    assert set(workflows) == {"ci.yml", "azure-dev.yml"}
    for name, workflow in workflows.items():
        errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(workflow)]
        assert errors == [], name


def test_every_action_is_on_its_current_major(workflows) -> None:
    used = {
        step["uses"]
        for _, _, step in (s for w in workflows.values() for s in _steps(w))
        if "uses" in step
    }
    assert {u.split("@")[0] for u in used} == set(CURRENT_MAJORS), "an action without a pin here"
    assert used == {f"{action}@{major}" for action, major in CURRENT_MAJORS.items()}


def test_setup_python_caches_pip_keyed_on_what_make_installs(workflows) -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    (prerequisites,) = re.findall(r"^\$\(STAMP\): (requirements[^\n]*)$", makefile, re.M)
    setups = [
        step
        for workflow in workflows.values()
        for _, _, step in _steps(workflow)
        if step.get("uses", "").startswith("actions/setup-python@")
    ]
    assert len(setups) == 2  # ci.yml and the test job of azure-dev.yml
    for step in setups:
        assert step["with"]["cache"] == "pip"
        assert step["with"]["python-version"] == "3.12"  # what infra/ deploys
        assert step["with"]["cache-dependency-path"].split() == prerequisites.split()


def test_the_deploy_workflow_has_the_name_azd_looks_for(workflows, azure_yaml) -> None:
    azd_runs = [
        name for name, w in workflows.items() for _, _, s in _steps(w) if "azd " in s.get("run", "")
    ]
    assert set(azd_runs) == {"azure-dev.yml"}
    assert azure_yaml["pipeline"]["provider"] == "github"


def test_azure_logins_use_only_subjects_azd_creates(workflows) -> None:
    for name, workflow in workflows.items():
        assert _subjects(workflow) <= AZD_SUBJECTS, name
    assert _subjects(workflows["azure-dev.yml"]) == {"branch"}
    assert workflows["azure-dev.yml"]["permissions"]["id-token"] == "write"


def test_the_subject_check_sees_an_environment_and_a_tag() -> None:
    """What the issue saw: `environment: azure` and a `v*` tag trigger, neither created by azd."""
    login = {"uses": "azure/login@v3"}
    workflow = {
        "on": {"workflow_dispatch": None, "push": {"tags": ["v*"]}},
        "jobs": {"a": {"steps": [login]}, "b": {"environment": "azure", "steps": [login]}},
    }
    assert _subjects(workflow) == {"branch", "tag", "environment"}


def test_the_docs_list_the_subjects_azd_creates_and_the_workflow_uses(workflows) -> None:
    rows = _doc_table()
    assert {_kind(s) for s, _, _ in rows} == {"branch", "pull_request", "environment"}
    created = {_kind(s) for s, made, _ in rows if made.startswith("yes")}
    used = {_kind(s) for s, _, use in rows if use.startswith("yes")}
    assert created == AZD_SUBJECTS
    assert used == _subjects(workflows["azure-dev.yml"])


def test_azd_pipeline_config_copies_every_optional_parameter(azure_yaml, azd_variables) -> None:
    optional = sorted(n for n in azd_variables if not n.startswith("AZURE_"))
    assert sorted(azure_yaml["pipeline"]["variables"]) == optional


@pytest.mark.skipif(
    not (shutil.which("jq") and shutil.which("bash")),
    reason="the step runs in bash with jq, as on GitHub's Ubuntu runners",
)
def test_the_settings_step_passes_set_variables_to_azd(workflows, tmp_path: Path) -> None:
    """Runs the workflow's own step with a recording azd on PATH."""
    steps = [s for _, _, s in _steps(workflows["azure-dev.yml"])]
    (step,) = [s for s in steps if "REPOSITORY_VARIABLES" in s.get("env", {})]
    log = tmp_path / "azd.log"
    fake = tmp_path / "azd"
    fake.write_text(f'#!/bin/sh\necho "$*" >> {log}\n', encoding="utf-8")
    fake.chmod(0o755)
    variables = {FAKE_BILLING_API_ENABLED: "true", INVOICE_API_URL: "", "AZURE_LOCATION": "x"}
    variables |= {"UNRELATED": "y", MAX_INVOICE_COUNT: "200"}
    env = {"PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    env["REPOSITORY_VARIABLES"] = json.dumps(variables)
    command = ["bash", "-e", "-c", step["run"]]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert log.read_text(encoding="utf-8").splitlines() == [
        "env set AZURE_PRINCIPAL_TYPE ServicePrincipal",
        "env set FAKE_BILLING_API_ENABLED true",
        "env set MAX_INVOICE_COUNT 200",
    ]
