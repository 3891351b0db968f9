"""ASP.NET-style route templates, as the Functions host matches HTTP-trigger routes.

The host hands each route to ASP.NET Core routing: literal segments match case-insensitively,
`{name}` takes one segment, `{name?}` may be missing at the end, `{*rest}` takes the remainder,
and inline constraints (`{id:int}`, `{code:length(3)}`, ...) must hold or the route does not
match. Among several matching templates the most specific wins (literal before constrained
before plain parameter before catch-all), which is the precedence ASP.NET computes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

_PARAM = re.compile(r"\{([^{}]*)\}")
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)


class RouteTemplateError(ValueError):
    """A template the host would refuse at startup (bad syntax or unknown constraint)."""


def _int_in(bounds: tuple[int, int]) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        return bool(re.fullmatch(r"[+-]?\d+", value)) and bounds[0] <= int(value) <= bounds[1]

    return check


def _number(value: str) -> bool:
    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return value.strip() == value and value.lower() not in {"nan", "inf", "infinity", "-inf"}


def _guid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


_is_long = _int_in(_INT64)
_SIMPLE: dict[str, Callable[[str], bool]] = {
    "int": _int_in(_INT32),
    "long": _is_long,
    "bool": lambda v: v.lower() in {"true", "false"},
    "alpha": lambda v: bool(re.fullmatch(r"[A-Za-z]+", v)),
    "guid": _guid,
    "decimal": _number,
    "double": _number,
    "float": _number,
    "datetime": _datetime,
    "required": lambda v: v != "",
}


def _constraint(text: str) -> Callable[[str], bool]:
    """Build one inline constraint check, e.g. ``int`` or ``range(1,10)``."""
    name, _, args = text.partition("(")
    name = name.strip().lower()
    if not args:
        if name not in _SIMPLE:
            raise RouteTemplateError(f"unknown route constraint '{text}'")
        return _SIMPLE[name]
    if not args.endswith(")"):
        raise RouteTemplateError(f"malformed route constraint '{text}'")
    raw = args[:-1]
    if name == "regex":
        pattern = re.compile(raw, re.IGNORECASE)
        return lambda v: pattern.search(v) is not None
    nums = [int(a) for a in raw.split(",")]
    checks: dict[str, Callable[[str], bool]] = {
        "minlength": lambda v: len(v) >= nums[0],
        "maxlength": lambda v: len(v) <= nums[0],
        "length": lambda v: len(v) == nums[0] if len(nums) == 1 else nums[0] <= len(v) <= nums[1],
        "min": lambda v: _is_long(v) and int(v) >= nums[0],
        "max": lambda v: _is_long(v) and int(v) <= nums[0],
        "range": lambda v: _is_long(v) and nums[0] <= int(v) <= nums[-1],
    }
    if name not in checks:
        raise RouteTemplateError(f"unknown route constraint '{text}'")
    return checks[name]


@dataclass
class _Param:
    name: str
    optional: bool = False
    catch_all: bool = False
    default: str | None = None
    checks: list[Callable[[str], bool]] = field(default_factory=list)


def _parse_param(body: str) -> _Param:
    catch_all = body.startswith("*")
    body = body.lstrip("*")
    default = None
    if "=" in body:
        body, default = body.split("=", 1)
    optional = body.endswith("?")
    body = body.rstrip("?")
    # Constraints are separated by ':' but regex(...) may itself contain ':'.
    parts = re.split(r":(?![^(]*\))", body)
    name = parts[0].strip()
    if not name.isidentifier():
        raise RouteTemplateError(f"invalid route parameter name '{name}'")
    return _Param(name, optional, catch_all, default, [_constraint(p) for p in parts[1:]])


@dataclass
class RouteTemplate:
    """One compiled template; `match(path)` gives the route values or None."""

    template: str
    segments: list[str | list[str | _Param]]
    precedence: tuple[int, ...]

    @classmethod
    def parse(cls, template: str) -> RouteTemplate:
        segments: list[str | list[str | _Param]] = []
        ranks: list[int] = []
        for raw in template.strip("/").split("/") if template.strip("/") else []:
            pieces: list[str | _Param] = []
            pos = 0
            for m in _PARAM.finditer(raw):
                if m.start() > pos:
                    pieces.append(raw[pos : m.start()])
                pieces.append(_parse_param(m.group(1)))
                pos = m.end()
            if pos < len(raw):
                pieces.append(raw[pos:])
            if len(pieces) == 1 and isinstance(pieces[0], str):
                segments.append(pieces[0])
                ranks.append(1)
                continue
            segments.append(pieces)
            params = [p for p in pieces if isinstance(p, _Param)]
            if len(pieces) > 1:
                ranks.append(2)
            elif params[0].catch_all:
                ranks.append(5)
            else:
                ranks.append(3 if params[0].checks else 4)
        return cls(template, segments, tuple(ranks))

    def match(self, path: str) -> dict[str, str] | None:
        """Match a raw (still percent-encoded) path relative to the route prefix."""
        parts = [p for p in path.strip("/").split("/")] if path.strip("/") else []
        values: dict[str, str] = {}
        for i, seg in enumerate(self.segments):
            if isinstance(seg, str):
                if i >= len(parts) or unquote(parts[i]).lower() != seg.lower():
                    return None
                continue
            last = seg[-1]
            if len(seg) == 1 and isinstance(last, _Param) and last.catch_all:
                rest = "/".join(unquote(p) for p in parts[i:])
                if not self._accept(last, rest, values):
                    return None
                return values
            if i >= len(parts):
                if len(seg) == 1 and isinstance(last, _Param) and (last.optional or last.default):
                    if last.default is not None:
                        values[last.name] = last.default
                    continue
                return None
            if not self._match_segment(seg, unquote(parts[i]), values):
                return None
        if len(parts) > len(self.segments):
            return None
        return values

    def _match_segment(self, seg: list[str | _Param], text: str, values: dict[str, str]) -> bool:
        regex = "".join(re.escape(p) if isinstance(p, str) else f"(?P<{p.name}>.+?)" for p in seg)
        m = re.fullmatch(regex, text, re.IGNORECASE)
        if m is None:
            return False
        return all(self._accept(p, m.group(p.name), values) for p in seg if isinstance(p, _Param))

    @staticmethod
    def _accept(param: _Param, value: str, values: dict[str, str]) -> bool:
        if value == "":
            if param.default is not None:
                values[param.name] = param.default
                return True
            return param.optional or param.catch_all
        if not all(check(value) for check in param.checks):
            return False
        values[param.name] = value
        return True
