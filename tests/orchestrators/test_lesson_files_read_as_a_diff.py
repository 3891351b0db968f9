"""Each lesson file shows its lesson, and the three read as diffs of each other.

The essential call is in the file's own code (the AST, not a docstring or a comment):
``requests.post`` in the anti-pattern, ``context.call_http`` in fix 1, ``context.call_http``
awaited with ``context.task_all`` in fix 2. Keys, retries, receipts and the report live in
``billing_guard``, so ``diff`` between neighbours shows the change and little else.
"""

import ast
import difflib
from pathlib import Path

import pytest

ORCHESTRATORS = Path(__file__).resolve().parents[2] / "orchestrators"
MAX_CHANGED_LINES = 40
ESSENTIAL_CALLS = {
    "raw_http_loop.py": {"requests.post"},
    "call_http_loop.py": {"context.call_http"},
    "fan_out_fan_in.py": {"context.call_http", "context.task_all"},
}


def changed_lines(before: str, after: str) -> int:
    """Lines removed plus lines added, as ``diff before after | grep -c '^[<>]'`` counts them."""
    a, b = (
        (ORCHESTRATORS / before).read_text().splitlines(),
        (ORCHESTRATORS / after).read_text().splitlines(),
    )
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(
        (i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def dotted(node: ast.AST | None) -> str | None:
    """``"a.b"`` for a call ``a.b(...)``; None for anything else."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
    ):
        return f"{node.func.value.id}.{node.func.attr}"
    return None


def calls_in_code(path: Path) -> set[str]:
    """Every ``a.b(...)`` call in ``path``'s code."""
    return {dotted(node) for node in ast.walk(ast.parse(path.read_text()))} - {None}


def awaited_in_code(path: Path) -> set[str]:
    """The calls that are yielded directly (``yield a.b(...)``)."""
    nodes = ast.walk(ast.parse(path.read_text()))
    return {dotted(node.value) for node in nodes if isinstance(node, ast.Yield)} - {None}


@pytest.mark.parametrize(("name", "calls"), ESSENTIAL_CALLS.items())
def test_each_lesson_file_makes_its_essential_call_in_code(name, calls):
    assert calls <= calls_in_code(ORCHESTRATORS / name)


def test_the_fixes_post_with_call_http_and_never_with_requests():
    for name in ("call_http_loop.py", "fan_out_fan_in.py"):
        assert "requests.post" not in calls_in_code(ORCHESTRATORS / name)
    assert "context.call_http" not in calls_in_code(ORCHESTRATORS / "raw_http_loop.py")


def test_the_fan_out_awaits_with_task_all_in_its_own_code():
    assert "context.task_all" in awaited_in_code(ORCHESTRATORS / "fan_out_fan_in.py")


@pytest.mark.parametrize(
    ("before", "after"),
    [("raw_http_loop.py", "call_http_loop.py"), ("call_http_loop.py", "fan_out_fan_in.py")],
)
def test_neighbours_are_a_short_diff(before, after):
    assert changed_lines(before, after) <= MAX_CHANGED_LINES


def test_the_fan_out_shows_no_machinery():
    source = (ORCHESTRATORS / "fan_out_fan_in.py").read_text()
    for machinery in ("TaskState", "create_timer", "Idempotency", "except", "while"):
        assert machinery not in source
