"""The project's other modules give a file its meaning: wrappers, clients and registrations.

Only the files passed are reported; the rest of the project (the app root) is read for what it
defines and registers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

WRAPPER = """
    import azure.durable_functions as df

    class Blueprint(df.Blueprint):
        \"\"\"The project's blueprint: the SDK's, with the team's defaults.\"\"\"
"""

CLIENTS = """
    import requests
    from azure.storage.blob import BlobServiceClient

    session = requests.Session()
    blobs = BlobServiceClient.from_connection_string("UseDevelopmentStorage=true")
    TIMEOUT_S = 5
"""

ORCHESTRATOR = """
    import time

    from mylib import Blueprint
    from app.clients import session, TIMEOUT_S
    from app import clients

    bp = Blueprint()

    @bp.orchestration_trigger(context_name="context")
    def orchestrate(context):
        session.get("http://127.0.0.1:9/", timeout=TIMEOUT_S)
        clients.blobs.get_container_client("x")
        time.sleep(TIMEOUT_S)
        yield context.call_activity("work", 1)
"""


@pytest.fixture
def project(write, tmp_path) -> Path:
    write("proj/pyproject.toml", "")
    write("proj/src/mylib/__init__.py", "from .blueprint import Blueprint\n")
    write("proj/src/mylib/blueprint.py", WRAPPER)
    write("proj/app/__init__.py", "")
    write("proj/app/clients.py", CLIENTS)
    write("proj/app/orchestrator.py", ORCHESTRATOR)
    return tmp_path / "proj"


def test_a_wrapper_and_clients_defined_in_other_modules_are_resolved(lint, project) -> None:
    run = lint("--format", "json", project / "app" / "orchestrator.py")

    assert [(f["line"], f["code"]) for f in run.findings] == [
        (11, "DUR001"),
        (12, "DUR001"),
        (13, "DUR002"),
    ]
    assert "`session.get` on module-level `requests.Session()`" in run.findings[0]["message"]


def test_outside_a_project_only_the_files_passed_are_read(lint, project) -> None:
    """Without pyproject.toml or .git above them, the other modules are unknown: quiet."""
    (project / "pyproject.toml").unlink()

    run = lint("--format", "json", project / "app" / "orchestrator.py")

    assert [(f["line"], f["code"]) for f in run.findings] == [(13, "DUR002")]


def test_app_root_limits_what_is_read(lint, project) -> None:
    run = lint(
        "--format", "json", "--app-root", project / "app", project / "app" / "orchestrator.py"
    )

    # mylib (under src/) is not read, but its class carries the SDK's name: still an app.
    assert [(f["line"], f["code"]) for f in run.findings] == [
        (11, "DUR001"),
        (12, "DUR001"),
        (13, "DUR002"),
    ]


def test_a_project_class_that_is_not_an_app_is_not_trusted_by_name(lint, project) -> None:
    (project / "src" / "mylib" / "blueprint.py").write_text("class Blueprint:\n    pass\n")

    assert lint("--format", "json", project / "app" / "orchestrator.py").findings == []


def test_a_file_of_the_project_that_does_not_parse_is_skipped(lint, project, write) -> None:
    write("proj/app/broken.py", "def (\n")

    run = lint(project / "app" / "orchestrator.py")

    assert run.code == 1
    assert run.lines[-1] == "Found 3 findings in 1 file (1 file checked)."
