"""The rule table: each code, its short name, and its message. Messages start with the code and
end with what to do instead; ``{name}`` is the call or construct that fired."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Code(NamedTuple):
    """A rule's stable code, short name and message template."""

    code: str
    name: str
    message: str


CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code(
            "DUR001",
            "network-io",
            "DUR001 `{name}` does network or storage I/O, which runs again on every replay: "
            "move it to an activity, or use `context.call_http`",
        ),
        Code(
            "DUR002",
            "blocking-wait",
            "DUR002 `{name}` blocks the orchestrator and waits again on every replay: "
            "use `yield context.create_timer(fire_at)`",
        ),
        Code(
            "DUR003",
            "wall-clock",
            "DUR003 `{name}` reads the wall clock, which differs on every replay: "
            "use `context.current_utc_datetime`",
        ),
        Code(
            "DUR004",
            "randomness",
            "DUR004 `{name}` is random, so every replay sees a different value: "
            "use `context.new_uuid()`, or pass a seed in the input",
        ),
        Code(
            "DUR005",
            "environment-or-file",
            "DUR005 `{name}` reads the environment or a file, which can change between replays: "
            "pass config in as input, read it in the starter or an activity",
        ),
        Code(
            "DUR006",
            "threads-processes-async",
            "DUR006 `{name}` runs threads, processes or async code the replay cannot record: "
            "fan out with `context.task_all` (orchestrators are generators, not `async def`)",
        ),
        Code(
            "DUR007",
            "task-never-awaited",
            "DUR007 durable task `{name}` is created but never yielded or collected: "
            "`yield` it, or collect it and `yield context.task_all(tasks)`",
        ),
        Code(
            "DUR008",
            "unknown-function-name",
            "DUR008 no scanned file registers {kind} '{name}', "
            "so the orchestration would wait forever: use a registered name{hint}",
        ),
        Code(
            "DUR101",
            "sequential-awaits-in-loop",
            "DUR101 loop awaits `{name}` one iteration at a time, though no iteration needs an "
            "earlier one's result: schedule all, then `yield context.task_all(tasks)`",
        ),
    )
}


def message(code: str, **fields: str) -> str:
    """The filled-in message for ``code``."""
    return CODES[code].message.format(**fields)


def expand(parts: Iterable[str]) -> list[str]:
    """The codes that ``DUR001``, ``DUR0`` (a prefix names a group) and so on select.

    Raises ``ValueError`` naming the unknown part and the known codes.
    """
    selected: list[str] = []
    for part in filter(None, (p.strip().upper() for p in parts)):
        matches = [code for code in CODES if code.startswith(part)]
        if not matches:
            raise ValueError(f"unknown rule code {part!r} (known: {', '.join(CODES)})")
        selected += matches
    return selected
