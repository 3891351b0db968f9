"""The linter's results: findings, and files it could not parse."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Finding:
    """One rule violation. Sorts by place, so reports are stable.

    ``end_line`` is the last line a ``# noqa`` comment may sit on: the end of a multi-line call,
    but the header line only for a loop or a ``def`` (a noqa inside a loop body must not hide a
    finding about the whole loop).
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    orchestrator: str = ""
    end_line: int = field(default=0, compare=False)

    def as_dict(self) -> dict[str, object]:
        """The ``--format json`` object."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "message": self.message,
            "orchestrator": self.orchestrator,
        }


@dataclass(frozen=True, order=True)
class ParseError:
    """A file that could not be parsed (E999) or read (E902); the other files are still checked.

    Printed like a finding, as flake8 and ruff print theirs, so editors and CI annotate it.
    """

    path: str
    line: int
    col: int
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.reason}"

    def as_dict(self) -> dict[str, object]:
        """The ``--format json`` object: a finding's, so one list holds both."""
        message = f"{self.code} {self.reason}"
        return Finding(self.path, self.line, self.col, self.code, message).as_dict()


@dataclass
class LintResult:
    """Everything one run found, before formatting."""

    findings: list[Finding] = field(default_factory=list)
    parse_errors: list[ParseError] = field(default_factory=list)
    files_checked: int = 0
    suppressed: int = 0
    excluded: int = 0  # files named on the command line that ``exclude`` leaves out
