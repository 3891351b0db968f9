"""Every fixture in tests/lint_cases/ fires exactly on the lines marked ``# expect: DURnnn``.

Lines marked ``# ok: DURnnn`` are look-alikes that must stay silent; the exact comparison covers
them, and the coverage test below makes sure each rule has at least two of each kind.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from durable_lint import lint_files
from durable_lint.rules.codes import CODES

CASES_DIR = Path(__file__).resolve().parents[1] / "lint_cases"
CASES = sorted(CASES_DIR.glob("*.py"))
_MARK = re.compile(r"#\s*(expect|ok):\s*((?:DUR\d{3}(?:\s*,\s*)?)+)")


def _marks(path: Path, kind: str) -> set[tuple[int, str]]:
    """``(line, code)`` pairs the file marks as ``expect`` or ``ok``."""
    marks = set()
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for found_kind, codes in _MARK.findall(text):
            if found_kind == kind:
                marks |= {(number, code) for code in re.findall(r"DUR\d{3}", codes)}
    return marks


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_findings_are_exactly_the_expect_comments(case: Path) -> None:
    result = lint_files([str(case)])

    assert result.parse_errors == []
    found = {(finding.line, finding.code) for finding in result.findings}
    assert found == _marks(case, "expect")
    assert not found & _marks(case, "ok")


def test_each_rule_has_two_positive_and_two_look_alike_cases() -> None:
    expects = Counter(code for case in CASES for _, code in _marks(case, "expect"))
    looks = Counter(code for case in CASES for _, code in _marks(case, "ok"))

    assert {code: n for code, n in expects.items() if n >= 2}.keys() == CODES.keys()
    assert {code: n for code, n in looks.items() if n >= 2}.keys() == CODES.keys()


def test_the_fixture_folder_holds_both_models_and_the_standard_patterns() -> None:
    names = {case.stem for case in CASES}

    assert {"v1_model", "aliases", "helpers", "noqa", "durable_patterns"} <= names
    assert {f"{code.lower()}" for code in CODES} <= {name.split("_")[0] for name in names}
