"""Shared readers for the offline infrastructure tests: .funcignore, Bicep, YAML, env reads.

They are fixtures (not importable helpers) because pytest runs with --import-mode=importlib,
where test modules cannot import each other.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"


# --- .funcignore: the gitignore subset that Core Tools and azd apply when packaging ------------


@dataclass(frozen=True)
class IgnoreRule:
    """One .funcignore line: glob, negated (!), dir-only (trailing /), anchored (inner /)."""

    glob: str
    negated: bool
    dir_only: bool
    anchored: bool

    def matches(self, rel: str, is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        if self.anchored:
            return fnmatch.fnmatchcase(rel, self.glob.replace("**/", "*/"))
        return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], self.glob)


class FuncIgnore:
    """Decides what the deployment package keeps; an ignored folder hides all beneath it."""

    def __init__(self, text: str) -> None:
        self.rules: list[IgnoreRule] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            line = line.removeprefix("!")
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            self.rules.append(IgnoreRule(line.lstrip("/"), negated, dir_only, anchored))

    def ignored(self, rel: str, is_dir: bool) -> bool:
        """Last matching rule wins, as in gitignore."""
        verdict = False
        for rule in self.rules:
            if rule.matches(rel, is_dir):
                verdict = not rule.negated
        return verdict

    def kept_files(self, root: Path) -> list[str]:
        """Relative paths of the files the package would contain."""
        kept: list[str] = []

        def walk(folder: Path) -> None:
            for entry in sorted(folder.iterdir()):
                rel = entry.relative_to(root).as_posix()
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    if not self.ignored(rel, is_dir=True):
                        walk(entry)
                elif not self.ignored(rel, is_dir=False):
                    kept.append(rel)

        walk(root)
        return kept


@pytest.fixture(scope="session")
def funcignore_parser() -> type[FuncIgnore]:
    """The matcher itself, for tests of the matcher."""
    return FuncIgnore


@pytest.fixture(scope="session")
def funcignore() -> FuncIgnore:
    path = REPO / ".funcignore"
    assert path.is_file(), ".funcignore is missing (the lead owns it; see docs/deploy.md)"
    return FuncIgnore(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def deployed_py_files(funcignore: FuncIgnore) -> list[Path]:
    return [REPO / rel for rel in funcignore.kept_files(REPO) if rel.endswith(".py")]


# --- Bicep: comments stripped, app settings block read -----------------------------------------


def strip_bicep_comments(text: str) -> str:
    """Drop // and /* */ comments outside '...' strings (so 'https://' survives)."""
    out: list[str] = []
    i, n, in_str = 0, len(text), False
    while i < n:
        ch = text[i]
        if in_str:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif ch == "'":
                in_str = False
        elif ch == "'":
            in_str = True
            out.append(ch)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def braced_block(text: str, start: int) -> str:
    """The text of the {...} block whose opening brace is at or after ``start``."""
    open_at = text.index("{", start)
    depth = 0
    for i in range(open_at, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[open_at + 1 : i]
    raise ValueError("unbalanced braces")


@pytest.fixture(scope="session")
def bicep_files() -> dict[str, str]:
    """Every .bicep file under infra/, by relative path, comments stripped."""
    return {
        p.relative_to(INFRA).as_posix(): strip_bicep_comments(p.read_text(encoding="utf-8"))
        for p in sorted(INFRA.rglob("*.bicep"))
    }


@pytest.fixture(scope="session")
def infra_app_settings(bicep_files: dict[str, str]) -> dict[str, str]:
    """App setting name -> Bicep expression, from the sites/config 'appsettings' resource."""
    api = bicep_files["app/api.bicep"]
    match = re.search(r"resource \w+ 'Microsoft\.Web/sites/config@[^']+' = \{", api)
    assert match, "app/api.bicep has no Microsoft.Web/sites/config resource"
    resource = braced_block(api, match.start())
    assert re.search(r"^\s*name: 'appsettings'", resource, re.M), "not the appsettings resource"
    props = braced_block(resource, resource.index("properties:"))
    settings: dict[str, str] = {}
    for line in props.splitlines():
        m = re.match(r"^\s*'?([A-Za-z_][A-Za-z0-9_]*)'?\s*:\s*(.+?)\s*$", line)
        if m:
            settings[m.group(1)] = m.group(2)
    return settings


# --- YAML: the tiny subset azure.yaml uses (maps of scalars, by indentation) --------------------


def read_simple_yaml(text: str) -> dict:
    """Parse block mappings with scalar values; reject anything richer so it cannot misread."""
    root: dict = {}
    stack: list[tuple[int, dict]] = [(-1, root)]
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        m = re.match(r"^([A-Za-z0-9_.-]+):(?:\s+(.*))?$", line.strip())
        rich = m and m.group(2) and m.group(2)[0] in "[{|>&*!"
        if "\t" in raw[: len(raw) - len(raw.lstrip())] or not m or rich:
            raise ValueError(f"line {number}: outside the supported YAML subset: {raw!r}")
        while indent <= stack[-1][0]:
            stack.pop()
        key, value = m.group(1), m.group(2)
        parent = stack[-1][1]
        if key in parent:
            raise ValueError(f"line {number}: duplicate key {key!r}")
        if value is None:
            parent[key] = {}
            stack.append((indent, parent[key]))
        else:
            parent[key] = value.strip().strip("'\"")
    return root


@pytest.fixture(scope="session")
def yaml_reader():
    """The reader itself, for tests of the reader."""
    return read_simple_yaml


@pytest.fixture(scope="session")
def azure_yaml() -> dict:
    return read_simple_yaml((REPO / "azure.yaml").read_text(encoding="utf-8"))


# --- The settings the app code reads, found with ast --------------------------------------------


def _env_key(node: ast.AST) -> ast.AST | None:
    """The key expression of os.environ[...], os.environ.get(...), os.getenv(...), or None."""
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
        return node.slice
    if isinstance(node, ast.Call) and node.args:
        return node.args[0] if ast.unparse(node.func) in {"os.environ.get", "os.getenv"} else None
    is_in = isinstance(node, ast.Compare) and [type(op) for op in node.ops] == [ast.In]
    if is_in and ast.unparse(node.comparators[0]) == "os.environ":
        return node.left
    return None


def _env_kind(node: ast.AST) -> str:
    """'required' for os.environ[...], 'default' for the forms that take a fallback."""
    return "required" if isinstance(node, ast.Subscript) else "default"


def _string_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments."""
    return {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def env_reads(files: list[Path]) -> dict[str, str]:
    """Setting name -> 'required' (os.environ[...]) or 'default' (get/getenv/in).

    A key passed through a helper's parameter (``def _int(name): os.environ.get(name)``) is
    resolved at the helper's call sites, so ``_int("MAX_INVOICE_COUNT", ...)`` counts. A key
    named by a module-level string constant (``MAX_INVOICE_COUNT = "MAX_INVOICE_COUNT"``, the
    one home of a setting's name) counts as that string.
    """
    reads: dict[str, str] = {}

    def record(key: ast.AST | None, kind: str, constants: dict[str, str]) -> None:
        """A literal key; a setting read anywhere without a default stays 'required'."""
        if isinstance(key, ast.Name) and key.id in constants:
            key = ast.Constant(constants[key.id])
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            reads[key.value] = "required" if reads.get(key.value) == "required" else kind

    helpers: dict[str, tuple[int, str]] = {}
    trees = [ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in files]
    for tree in trees:
        for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            params = [a.arg for a in fn.args.args]
            for node in ast.walk(fn):
                key = _env_key(node)
                if isinstance(key, ast.Name) and key.id in params:
                    helpers[fn.name] = (params.index(key.id), _env_kind(node))
    for tree in trees:
        constants = _string_constants(tree)
        for node in ast.walk(tree):
            key = _env_key(node)
            if key is not None:
                record(key, _env_kind(node), constants)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                spec = helpers.get(node.func.id)
                if spec and len(node.args) > spec[0]:
                    record(node.args[spec[0]], spec[1], constants)
    return reads


@pytest.fixture(scope="session")
def env_reader():
    """The scanner itself, for tests of the scanner."""
    return env_reads


@pytest.fixture(scope="session")
def code_env_reads(deployed_py_files: list[Path]) -> dict[str, str]:
    return env_reads(deployed_py_files)
