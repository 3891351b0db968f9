"""DUR008 compares called names with what every scanned file registers."""

from __future__ import annotations

import json

ORCHESTRATOR = """
import azure.durable_functions as df

bp = df.Blueprint()

@bp.orchestration_trigger(context_name="context")
def orchestrate(context):
    yield context.call_activity("{name}", 1)
"""

ACTIVITY = """
import azure.durable_functions as df

bp = df.Blueprint()

@bp.activity_trigger(input_name="invoice")
def calculate_invoice(invoice):
    return invoice
"""


def test_a_name_registered_in_another_scanned_file_is_known(lint, write) -> None:
    write("app/activities.py", ACTIVITY)
    folder = write("app/orchestrator.py", ORCHESTRATOR.format(name="calculate_invoice")).parent

    assert lint(folder).code == 0


def test_an_unknown_name_suggests_the_closest_registered_one(lint, write) -> None:
    write("app/activities.py", ACTIVITY)
    folder = write("app/orchestrator.py", ORCHESTRATOR.format(name="calculate_invoise")).parent

    run = lint("--format", "json", folder)

    assert [(f["code"], f["line"], f["col"]) for f in run.findings] == [("DUR008", 7, 33)]
    assert run.findings[0]["message"] == (
        "DUR008 no scanned file registers activity 'calculate_invoise', so the orchestration "
        "would wait forever: use a registered name (did you mean 'calculate_invoice'?)"
    )


def test_without_any_registered_activity_the_rule_stays_quiet(lint, write) -> None:
    """Linting orchestrators/ alone must not report the activities defined elsewhere."""
    path = write("orchestrators/orchestrator.py", ORCHESTRATOR.format(name="defined_elsewhere"))

    assert lint(path).code == 0


def test_a_registration_name_that_is_not_a_literal_turns_the_rule_off(lint, write) -> None:
    write("app/activities.py", ACTIVITY.replace('input_name="invoice"', "activity=NAME"))
    folder = write("app/orchestrator.py", ORCHESTRATOR.format(name="anything")).parent

    assert lint(folder).code == 0


def test_v1_function_json_folders_register_their_names(lint, write) -> None:
    bindings = {"bindings": [{"name": "name", "type": "activityTrigger", "direction": "in"}]}
    write("v1/SayHello/function.json", json.dumps(bindings))
    write("v1/SayHello/__init__.py", "def main(name):\n    return name\n")
    orchestrator = """
        import azure.durable_functions as df

        def orchestrator_function(context):
            yield context.call_activity("SayHello", "Tokyo")
            yield context.call_activity("SayHelo", "Oslo")

        main = df.Orchestrator.create(orchestrator_function)
    """
    write("v1/Chain/__init__.py", orchestrator)

    run = lint("--format", "json", write("v1/host.json", "{}").parent)

    assert [(f["code"], f["line"]) for f in run.findings] == [("DUR008", 5)]
    assert "did you mean 'SayHello'?" in run.findings[0]["message"]
