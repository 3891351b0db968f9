"""host.json and azure.yaml parse, and hold exactly what docs/deploy.md says they hold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "deploy.md"
TABLE_HEADING = "## What the configuration files name"


def _doc_claims() -> list[tuple[str, str, str]]:
    """(file, dotted key, value) rows of the table under TABLE_HEADING in docs/deploy.md."""
    text = DOC.read_text(encoding="utf-8")
    assert TABLE_HEADING in text, f"docs/deploy.md lacks the section {TABLE_HEADING!r}"
    section = text.split(TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| `([^`]*)` \|$", section, re.M)
    return rows


def _lookup(data: dict, dotted: str) -> object:
    for part in dotted.split("."):
        assert isinstance(data, dict) and part in data, f"missing key {dotted}"
        data = data[part]
    return data


@pytest.fixture(scope="module")
def host_json() -> dict:
    return json.loads((REPO / "host.json").read_text(encoding="utf-8"))


def test_the_doc_table_names_both_files() -> None:
    files = {row[0] for row in _doc_claims()}
    assert files == {"azure.yaml", "host.json"}


@pytest.mark.parametrize(("file", "key", "value"), _doc_claims())
def test_config_file_holds_what_the_doc_says(
    file: str, key: str, value: str, host_json: dict, azure_yaml: dict
) -> None:
    data = host_json if file == "host.json" else azure_yaml
    assert str(_lookup(data, key)) == value


def test_azure_yaml_service_is_the_app_that_infra_tags(azure_yaml: dict, bicep_files) -> None:
    (service,) = azure_yaml["services"]
    assert f"serviceName: '{service}'" in bicep_files["main.bicep"]
    assert "'azd-service-name': serviceName" in bicep_files["app/api.bicep"]


def test_azure_yaml_project_holds_the_app(azure_yaml: dict) -> None:
    project = REPO / azure_yaml["services"]["api"]["project"]
    assert (project / "function_app.py").is_file()
    assert (project / "host.json").is_file()
    assert (project / "requirements.txt").is_file()


def test_the_yaml_reader_rejects_what_it_cannot_read(yaml_reader) -> None:
    """The tiny reader must fail loudly rather than misread richer YAML (lists, tabs)."""
    read = yaml_reader
    assert read("a:\n  b: c\nd: 'e'\n") == {"a": {"b": "c"}, "d": "e"}
    for bad in ("a:\n  - b\n", "a:\n\tb: c\n", "a: 1\na: 2\n", "just text\n", "a: [b]\n"):
        with pytest.raises(ValueError):
            read(bad)
