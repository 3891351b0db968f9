"""Shared fixtures for the durable_lint tests: run the CLI in-process (`write` is in
tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from durable_lint.__main__ import main


@dataclass
class Run:
    """One CLI run: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def findings(self) -> list[dict]:
        """The ``--format json`` output, parsed."""
        return json.loads(self.out)


@pytest.fixture
def lint(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``python -m durable_lint ARGS`` in-process and capture what it prints."""

    def run(*args: str) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


RAW_LOOP = """
    import azure.durable_functions as df
    import requests

    bp = df.Blueprint()


    @bp.orchestration_trigger(context_name="context")
    def raw(context):
        for item in context.get_input():
            result = yield context.call_activity("work", item)
            requests.post("http://127.0.0.1:9/", json=result)  # noqa: DUR001
"""

CLEAN = """
    import azure.durable_functions as df

    bp = df.Blueprint()


    @bp.orchestration_trigger(context_name="context")
    def clean(context):
        tasks = [context.call_activity("work", item) for item in context.get_input()]
        return (yield context.task_all(tasks))
"""


@pytest.fixture
def sources() -> dict[str, str]:
    """Two small modules: one with a DUR101 and a suppressed DUR001, one clean."""
    return {"raw": RAW_LOOP, "clean": CLEAN}
