"""``# noqa`` comments: a bare one silences every code on its line, ``# noqa: DUR001`` one code.

Comments are read with ``tokenize``, so ``"# noqa"`` inside a string does not count.
"""

from __future__ import annotations

import io
import re
import tokenize

from durable_lint.findings import Finding

ALL = frozenset({"*"})
_NOQA = re.compile(
    r"#\s*(?i:noqa)(?:\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
)


def noqa_lines(source: str) -> dict[int, frozenset[str]]:
    """Line number -> codes silenced on that line (``ALL`` for a bare ``# noqa``)."""
    if "noqa" not in source.lower():
        return {}
    lines: dict[int, frozenset[str]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type != tokenize.COMMENT:
                continue
            match = _NOQA.search(token.string)
            if match:
                codes = match.group("codes")
                found = frozenset(re.split(r"[\s,]+", codes)) if codes else ALL
                lines[token.start[0]] = lines.get(token.start[0], frozenset()) | found
    except (tokenize.TokenError, SyntaxError):
        return lines
    return lines


def is_suppressed(finding: Finding, lines: dict[int, frozenset[str]]) -> bool:
    """Whether a noqa comment on any line the finding spans silences its code."""
    for line in range(finding.line, max(finding.line, finding.end_line) + 1):
        codes = lines.get(line)
        if codes and ("*" in codes or finding.code in codes):
            return True
    return False
