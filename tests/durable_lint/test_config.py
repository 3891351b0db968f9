"""``[tool.durable_lint]`` in pyproject.toml: select, ignore, exclude, app-root; the command
line wins over it, and a mistake in it is one sentence and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

ORCHESTRATOR = """
    import time
    import uuid
    import azure.durable_functions as df

    bp = df.Blueprint()

    @bp.orchestration_trigger(context_name="context")
    def orchestrate(context):
        time.sleep(1)
        yield context.call_activity("work", str(uuid.uuid4()))
"""


@pytest.fixture
def project(write, tmp_path) -> Path:
    write("proj/app/orchestrator.py", ORCHESTRATOR)
    write("proj/generated/orchestrator.py", ORCHESTRATOR)
    return tmp_path / "proj"


def configure(project: Path, section: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.durable_lint]\n{section}\n")


def codes(run) -> list[tuple[str, str]]:
    return [(Path(f["path"]).parent.name, f["code"]) for f in run.findings]


def test_select_ignore_and_exclude_apply_to_a_folder_walk(lint, project) -> None:
    configure(project, 'select = ["DUR0"]\nignore = ["DUR004"]\nexclude = ["generated"]')

    assert codes(lint("--format", "json", project)) == [("app", "DUR002")]


def test_the_command_line_wins_over_the_file(lint, project) -> None:
    configure(project, 'select = ["DUR002"]\nexclude = ["generated"]')

    run = lint("--format", "json", "--select", "DUR004", "--exclude", "app", project)

    assert codes(run) == []
    assert codes(lint("--format", "json", "--select", "DUR004", project)) == [("app", "DUR004")]


def test_the_configuration_is_found_from_a_subfolder(lint, project, monkeypatch) -> None:
    configure(project, 'ignore = ["DUR002"]')
    monkeypatch.chdir(project / "app")

    assert lint("--format", "json", "orchestrator.py").findings[0]["code"] == "DUR004"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('selct = ["DUR001"]', "unknown key 'selct' (known: select, ignore, exclude, app-root)"),
        ('select = ["DUR999"]', "select: unknown rule code 'DUR999'"),
        ('ignore = "DUR001"', 'ignore must be a list of strings, such as ["DUR001"]'),
        ('app-root = "nope"', "app-root 'nope' is not a folder under"),
        ("select = [", "cannot be read"),
    ],
)
def test_a_mistake_in_the_file_is_one_sentence_and_exit_2(lint, project, section, message):
    configure(project, section)

    run = lint(project)

    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith("durable-lint: error: ")
    assert message in run.err
    assert len(run.err.splitlines()) == 1
