"""Fix 2 reads as a diff of fix 1: batching, retries, idempotency and failure reports live in
shared helpers, so the diff shows only "schedule all, task_all once"."""

import difflib
from pathlib import Path

ORCHESTRATORS = Path(__file__).resolve().parents[2] / "orchestrators"
MAX_CHANGED_LINES = 40


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


def test_fan_out_is_a_short_diff_of_the_call_http_loop():
    assert changed_lines("call_http_loop.py", "fan_out_fan_in.py") < MAX_CHANGED_LINES


def test_the_fan_out_waits_with_task_all_and_shows_no_machinery():
    source = (ORCHESTRATORS / "fan_out_fan_in.py").read_text()
    assert "task_all(" in source
    for machinery in ("TaskState", "create_timer", "Idempotency", "except", "while"):
        assert machinery not in source
