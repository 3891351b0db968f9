"""``[tool.durable_lint]`` in ``pyproject.toml``: the project's defaults for the command line.

The project root is the nearest folder, from the linted paths upwards, that holds a
``pyproject.toml`` or ``.git`` (black's rule, ``find_project_root``). Its ``pyproject.toml``
may hold::

    [tool.durable_lint]
    select = ["DUR0"]            # codes or prefixes (default: every rule)
    ignore = ["DUR101"]
    exclude = ["tests/fixtures"] # globs: a name anywhere, or a path from the project root
    app-root = "src/app"         # read for registrations, wrappers and clients (default: the root)

Paths in it are relative to the project root. Without a project root, only the files passed are
read, for registrations as for findings.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass

from durable_lint.rules.codes import expand

KEYS = ("select", "ignore", "exclude", "app-root")


class ConfigError(ValueError):
    """The configuration cannot be used; ``str()`` is one sentence naming what to change."""


@dataclass(frozen=True)
class Config:
    """The settings found for one run; ``root`` is None outside a project."""

    root: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    app_root: str | None = None


def project_root(paths: Iterable[str]) -> str | None:
    """The nearest folder above ``paths`` holding ``pyproject.toml`` or ``.git``, if any."""
    absolute = [os.path.abspath(path) for path in paths] or [os.getcwd()]
    folder = os.path.commonpath(absolute)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        if any(os.path.exists(os.path.join(folder, m)) for m in ("pyproject.toml", ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _strings(section: dict[str, object], key: str, where: str) -> tuple[str, ...] | None:
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f'{where}: {key} must be a list of strings, such as ["DUR001"]')
    return tuple(value)


def _codes(section: dict[str, object], key: str, where: str) -> tuple[str, ...] | None:
    parts = _strings(section, key, where)
    if parts is None:
        return None
    try:
        return tuple(expand(parts))
    except ValueError as exc:
        raise ConfigError(f"{where}: {key}: {exc}") from None


def _read_section(pyproject: str) -> dict[str, object]:
    try:
        with open(pyproject, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject} cannot be read: {exc}") from None
    tool = data.get("tool")
    section = tool.get("durable_lint", {}) if isinstance(tool, dict) else {}
    if not isinstance(section, dict):
        raise ConfigError(f"{pyproject}: [tool.durable_lint] must be a table")
    return section


def load_config(paths: Iterable[str]) -> Config:
    """The project root of ``paths`` and its ``[tool.durable_lint]`` settings."""
    root = project_root(paths)
    if root is None:
        return Config()
    pyproject = os.path.join(root, "pyproject.toml")
    section = _read_section(pyproject) if os.path.isfile(pyproject) else {}
    where = f"{pyproject} [tool.durable_lint]"
    unknown = sorted(set(section) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(KEYS)})")
    app_root = section.get("app-root", ".")
    if not isinstance(app_root, str):
        raise ConfigError(f'{where}: app-root must be a folder name, such as "src/app"')
    app_folder = os.path.normpath(os.path.join(root, app_root))
    if not os.path.isdir(app_folder):
        raise ConfigError(f"{where}: app-root {app_root!r} is not a folder under {root}")
    return Config(
        root=root,
        select=_codes(section, "select", where),
        ignore=_codes(section, "ignore", where) or (),
        exclude=_strings(section, "exclude", where) or (),
        app_root=app_folder,
    )
