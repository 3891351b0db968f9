"""Every rule has a section in docs/durable_lint.md with the same four headings."""

from __future__ import annotations

import re
from pathlib import Path

from durable_lint.rules.codes import CODES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "durable_lint.md").read_text(encoding="utf-8")
HEADINGS = ["### What it does", "### Why is this bad?", "### Example", "### Use instead"]


def _sections() -> dict[str, str]:
    parts = re.split(r"^## (DUR\d{3}):.*$", DOC, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_each_rule_has_one_section_with_the_four_headings_in_order() -> None:
    sections = _sections()

    assert list(sections) == list(CODES)
    for code, body in sections.items():
        found = [line for line in body.splitlines() if line.startswith("### ")]
        assert found == HEADINGS, code
        assert body.count("```python") >= 2, code


def test_the_sequential_loop_doc_shows_the_replay_arithmetic() -> None:
    body = _sections()["DUR101"]

    assert "N(N+1)/2" in body
    assert "about 3" in body
    assert "| 50 | 51 | 1,275 | ~3 |" in body
