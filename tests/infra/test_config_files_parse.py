"""host.json, local.settings.json.example and azure.yaml: valid against their published schemas
(SchemaStore's, for the Functions files) and holding what docs/deploy.md says they hold."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "deploy.md"
TABLE_HEADING = "## What the configuration files name"
HOST_SCHEMA = "https://json.schemastore.org/host.json"
LOCAL_SETTINGS_SCHEMA = "https://json.schemastore.org/local.settings.json"


def _doc_claims() -> list[tuple[str, str, str]]:
    """(file, dotted key, value) rows of the table under TABLE_HEADING in docs/deploy.md."""
    text = DOC.read_text(encoding="utf-8")
    assert TABLE_HEADING in text, f"docs/deploy.md lacks the section {TABLE_HEADING!r}"
    section = text.split(TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| `([^`]*)` \|$", section, re.M)


def _lookup(data: dict, dotted: str) -> object:
    for part in dotted.split("."):
        assert isinstance(data, dict) and part in data, f"missing key {dotted}"
        data = data[part]
    return data


def _errors(schema: dict, document: object) -> list[str]:
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = validator.iter_errors(document)
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


@pytest.fixture(scope="module")
def host_json() -> dict:
    return json.loads((REPO / "host.json").read_text(encoding="utf-8"))


def test_host_json_is_valid_against_schemastore(host_json: dict, schemastore) -> None:
    assert _errors(schemastore(HOST_SCHEMA), host_json) == []


@pytest.mark.parametrize(
    ("where", "key", "value"),
    [("durableTask", "hubName", 5), ("tracing", "traceReplayEvent", True)],
    ids=["numeric hub name", "misspelt tracing key"],
)
def test_the_host_schema_catches_a_mistake(host_json, schemastore, where, key, value) -> None:
    """The validation above can fail (one error: host.json's schema is a oneOf of versions)."""
    broken = copy.deepcopy(host_json)
    durable = broken["extensions"]["durableTask"]
    (durable if where == "durableTask" else durable[where])[key] = value
    assert len(_errors(schemastore(HOST_SCHEMA), broken)) == 1


def test_local_settings_example_is_valid_against_schemastore(local_settings, schemastore) -> None:
    assert _errors(schemastore(LOCAL_SETTINGS_SCHEMA), local_settings) == []
    assert all(isinstance(v, str) for v in local_settings["Values"].values()), "values are strings"


def test_the_local_settings_schema_catches_a_mistake(local_settings, schemastore) -> None:
    broken = copy.deepcopy(local_settings)
    broken["Values"]["FUNCTIONS_WORKER_RUNTIME"] = "pyhton"
    assert len(_errors(schemastore(LOCAL_SETTINGS_SCHEMA), broken)) == 1


def test_the_doc_table_names_both_files() -> None:
    files = {row[0] for row in _doc_claims()}
    assert files == {"azure.yaml", "host.json"}


@pytest.mark.parametrize(("file", "key", "value"), _doc_claims())
def test_config_file_holds_what_the_doc_says(
    file: str, key: str, value: str, host_json: dict, azure_yaml: dict
) -> None:
    data = host_json if file == "host.json" else azure_yaml
    assert str(_lookup(data, key)) == value


def test_azure_yaml_service_is_the_app_that_infra_tags(azure_yaml: dict, bicep, site) -> None:
    (service,) = azure_yaml["services"]
    assert bicep["main.bicep"]["modules"]["api"]["config"]["params"]["serviceName"] == service
    tags = site["tags"]["function"]["parameters"]
    assert {"'azd-service-name'": "serviceName"} in tags.values()


def test_azure_yaml_project_holds_the_app(azure_yaml: dict) -> None:
    project = REPO / azure_yaml["services"]["api"]["project"]
    assert (project / "function_app.py").is_file()
    assert (project / "host.json").is_file()
    assert (project / "requirements.txt").is_file()


def test_yaml_is_read_with_yaml_12_booleans(read_yaml, tmp_path: Path) -> None:
    """A workflow's `on:` stays a key named "on" (PyYAML alone makes it True)."""
    path = tmp_path / "w.yml"
    path.write_text("on:\n  push:\nflag: true\nword: yes\n", encoding="utf-8")
    assert read_yaml(path) == {"on": {"push": None}, "flag": True, "word": "yes"}


def test_azure_yaml_requires_the_azd_that_reads_funcignore(azure_yaml: dict) -> None:
    """Azure/azure-dev cli/azd/CHANGELOG.md, 1.18.0 (2025-07-17): "[5383] Add support for
    `.webappignore` and `.funcignore` files in zip deployment packaging". An older azd zips the
    whole project folder, here the repository (tests, docs, .venv when present)."""
    assert azure_yaml["requiredVersions"] == {"azd": ">= 1.18.0"}
