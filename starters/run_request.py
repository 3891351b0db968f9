"""Parse and validate what a caller asks to run. Strict on purpose: bad input starts nothing.

Python is lenient where an API must not be: ``int()`` accepts Arabic-Indic digits, " 5",
"+5" and "5_000", ``json.loads`` accepts NaN and keeps the last of duplicate keys, and
``True`` is an ``int``. It is also fragile: deep nesting raises ``RecursionError``.
Every one of those is rejected here with a 4xx problem, in time linear in the body's size,
and a problem's detail quotes at most a short excerpt of what the caller sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import azure.functions as func

from contract import FAN_OUT_FAN_IN, parse_whole_number
from starters.problems import Problem, excerpt, media_type

MAX_BODY_BYTES = 64 * 1024
DEFAULT_COUNT = 50
DEFAULT_SEED = 0
SEED_LIMIT = 2**31
MAX_NAMED = 3  # unknown or duplicate fields named in a problem's detail
_JSON_TYPES = ("application/json",)


@dataclass(frozen=True)
class RunRequest:
    """A validated request: how many invoices, which seed, and (fan-out only) the batch cap."""

    count: int
    seed: int
    max_parallel: int | None = None

    def orchestration_input(self, *, with_max_parallel: bool) -> dict[str, Any]:
        """The orchestration input. No billing URL: the orchestrator gets the deployment's from
        its first activity, so the input holds nothing secret and nothing a caller chose."""
        data: dict[str, Any] = {"count": self.count, "seed": self.seed}
        if with_max_parallel and self.max_parallel is not None:
            data["max_parallel"] = self.max_parallel
        return data


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _names(keys: list[str]) -> str:
    named = ", ".join(excerpt(key) for key in sorted(keys)[:MAX_NAMED])
    return named + (f" and {len(keys) - MAX_NAMED} more" if len(keys) > MAX_NAMED else "")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        duplicates = {key for key, _ in pairs if key in seen or seen.add(key)}
        raise ValueError(f"duplicate field(s) {_names(list(duplicates))}")
    return data


def _read_body(req: func.HttpRequest) -> dict[str, Any]:
    body = req.get_body() or b""
    if len(body) > MAX_BODY_BYTES:
        raise Problem(413, f"The request body is larger than {MAX_BODY_BYTES // 1024} KiB.")
    if not body.strip():
        return {}
    # RFC 9110 §15.5.16: an unsupported content coding is a 415. The host passes bodies on as
    # sent (it never decompresses them), so gzip bytes would otherwise read as "not UTF-8".
    if (req.headers.get("content-encoding") or "identity").strip().lower() != "identity":
        raise Problem(415, "Send the body uncompressed, without a Content-Encoding.")
    mime = media_type(req, default="application/json")
    if mime not in _JSON_TYPES and not mime.endswith("+json"):
        raise Problem(415, "Send the body as JSON, with Content-Type: application/json.")
    try:
        data = json.loads(
            body.decode("utf-8"), parse_constant=_reject_constant, object_pairs_hook=_no_duplicates
        )
    except RecursionError:
        raise Problem(400, "The body is not valid JSON (nested too deeply).") from None
    except (UnicodeDecodeError, ValueError) as exc:
        reason = exc.args[0] if isinstance(exc, ValueError) and exc.args else "not UTF-8"
        raise Problem(400, f"The body is not valid JSON ({str(reason)[:80]}).") from None
    if not isinstance(data, dict):
        raise Problem(400, 'The body must be a JSON object, such as {"count": 50, "seed": 7}.')
    return data


def _from_query(req: func.HttpRequest, name: str) -> int | None:
    raw = req.params.get(name)
    if raw is None:
        return None
    try:
        return parse_whole_number(raw)
    except ValueError:
        raise Problem(
            400, f"'{name}' must be a whole number written with ASCII digits only."
        ) from None


def _from_json(data: dict[str, Any], name: str) -> int | None:
    if name not in data:
        return None
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise Problem(400, f"'{name}' must be a JSON integer, such as {{\"{name}\": 5}}.")
    return value


def _in_range(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise Problem(400, f"'{name}' must be between {low} and {high}.")
    return value


def parse_run_request(
    req: func.HttpRequest, *, max_count: int, allow_max_parallel: bool
) -> RunRequest:
    """Read ``count``, ``seed`` (and ``max_parallel``) from the query string or a JSON body."""
    body = _read_body(req)
    allowed = {"count", "seed"} | ({"max_parallel"} if allow_max_parallel else set())
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise Problem(
            400,
            f"Unknown field(s) {_names(unknown)}; allowed: {', '.join(sorted(allowed))}.",
        )
    values: dict[str, int | None] = {}
    for name in sorted(allowed):
        in_query, in_body = _from_query(req, name), _from_json(body, name)
        if in_query is not None and in_body is not None:
            raise Problem(400, f"Give '{name}' in the query string or in the body, not both.")
        values[name] = in_body if in_body is not None else in_query
    if not allow_max_parallel and req.params.get("max_parallel") is not None:
        raise Problem(400, f"'max_parallel' applies only to {FAN_OUT_FAN_IN} and compare.")
    count = _in_range("count", _or(values["count"], DEFAULT_COUNT), 1, max_count)
    seed = _in_range("seed", _or(values["seed"], DEFAULT_SEED), 0, SEED_LIMIT - 1)
    max_parallel = values.get("max_parallel")
    if max_parallel is not None:
        _in_range("max_parallel", max_parallel, 1, max_count)
    return RunRequest(count=count, seed=seed, max_parallel=max_parallel)


def _or(value: int | None, default: int) -> int:
    return default if value is None else value
