"""Which functions count as orchestrator code, in both programming models."""

from __future__ import annotations

import pytest

V2_HEADERS = {
    "dfapp": "import azure.durable_functions as df\napp = df.DFApp()\n",
    "blueprint": "from azure.durable_functions import Blueprint\napp = Blueprint()\n",
    "functions_app": "import azure.functions as func\napp = func.FunctionApp()\n",
    "imported_app": "from function_app import app\n",
}

ORCHESTRATOR = """
import time

@app.orchestration_trigger(context_name="context")
def orchestrate(context):
    time.sleep(1)
    yield context.call_activity("work", 1)
"""


@pytest.mark.parametrize("header", V2_HEADERS.values(), ids=V2_HEADERS.keys())
def test_v2_orchestrators_are_found_on_any_app_or_blueprint(lint, write, header) -> None:
    run = lint("--format", "json", write("app.py", header + ORCHESTRATOR))

    assert [(f["code"], f["line"], f["orchestrator"]) for f in run.findings] == [
        ("DUR002", header.count("\n") + 6, "orchestrate")
    ]


def test_a_decorator_of_some_other_object_is_not_an_orchestrator(lint, write) -> None:
    header = "class Router:\n    pass\napp = Router()\n"

    run = lint(write("app.py", header + ORCHESTRATOR))

    assert run.code == 0


def test_v1_orchestrator_create_marks_the_function(lint, write) -> None:
    source = """
        import time
        import azure.durable_functions as df

        def orchestrator_function(context):
            time.sleep(1)
            yield context.call_activity("work", 1)

        def unused(context):
            time.sleep(1)

        main = df.Orchestrator.create(orchestrator_function)
    """

    run = lint("--format", "json", write("Orch/__init__.py", source))

    assert [(f["line"], f["orchestrator"]) for f in run.findings] == [(5, "orchestrator_function")]


def test_a_finding_in_a_helper_names_the_orchestrators_that_call_it(lint, write) -> None:
    source = """
        import uuid
        import azure.durable_functions as df

        bp = df.Blueprint()

        def new_id():
            return str(uuid.uuid4())

        def label(prefix):
            return prefix + new_id()

        @bp.orchestration_trigger(context_name="context")
        def first(context):
            yield context.call_activity("work", label("a"))

        @bp.orchestration_trigger(context_name="context")
        def second(context):
            yield context.call_activity("work", new_id())
    """

    run = lint("--format", "json", write("app.py", source))

    [finding] = run.findings
    assert (finding["code"], finding["line"]) == ("DUR004", 7)
    assert finding["orchestrator"] == "first, second"
    assert finding["message"].endswith(
        "(in helper `new_id`, called from orchestrators `first`, `second`)"
    )


def test_activities_entities_and_starters_are_never_orchestrator_code(lint, write) -> None:
    source = """
        import time
        import azure.durable_functions as df

        bp = df.Blueprint()

        def shared():
            time.sleep(1)

        @bp.activity_trigger(input_name="x")
        def activity(x):
            shared()

        @bp.entity_trigger(context_name="context")
        def entity(context):
            shared()

        @bp.route(route="start")
        @bp.durable_client_input(client_name="client")
        async def starter(req, client):
            shared()
    """

    assert lint(write("app.py", source)).code == 0


def test_an_async_orchestrator_is_reported_at_its_def(lint, write) -> None:
    source = (
        "import azure.durable_functions as df\nbp = df.Blueprint()\n\n"
        "@bp.orchestration_trigger(context_name='context')\n"
        "async def orchestrate(context):\n    return 1\n"
    )

    run = lint("--format", "json", write("app.py", source))

    assert [(f["code"], f["line"], f["col"]) for f in run.findings] == [("DUR006", 5, 1)]
