"""DUR005 cases: environment and file reads in orchestrators; inputs and starters stay silent."""

import json
import os
from os import environ, getenv
from pathlib import Path

import azure.durable_functions as df
import azure.functions as func

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def reads_config(context: df.DurableOrchestrationContext):
    url = os.environ["INVOICE_API_URL"]  # expect: DUR005
    count = int(os.environ.get("MAX_INVOICE_COUNT", "1000"))  # expect: DUR005
    hub = getenv("TASK_HUB_NAME")  # expect: DUR005
    region = environ.get("REGION")  # expect: DUR005
    with open("settings.json") as handle:  # expect: DUR005
        settings = json.load(handle)
    template = Path("templates/invoice.txt").read_text()  # expect: DUR005
    rates = (Path(__file__).parent / "rates.json").read_bytes()  # expect: DUR005
    yield context.call_activity("send", [url, count, hub, region, settings, template, rates])


HERE = Path(__file__).parent  # a module-level path constant


@bp.orchestration_trigger(context_name="context")
def lists_templates(context: df.DurableOrchestrationContext):
    """The shape seen in users' orchestrators: the path is held in a variable first."""
    base = Path(__file__).parent.parent
    templates = base / "templates"
    names = []
    for d in templates.iterdir():  # expect: DUR005
        if d.is_dir():  # expect: DUR005
            names.append(d.name)
    found = [f.name for f in sorted(base.glob("*.json")) if f.exists()]  # expect: DUR005, DUR005
    ready = HERE.exists()  # expect: DUR005
    yield context.call_activity("send", [names, found, ready])


@bp.orchestration_trigger(context_name="context")
def names_paths_without_reading(context: df.DurableOrchestrationContext):
    """Path arithmetic and names read nothing; items of the input are not paths."""
    report = Path("reports") / context.instance_id
    label = report.name  # ok: DUR005 (no file access)
    sections = context.get_input()
    kept = [s for s in sections if s.exists()]  # ok: DUR005 (input items, not paths)
    base = Path("reports")
    base = context.get_input()["base"]  # rebound to the input: not known to be a path
    base.exists()  # ok: DUR005
    yield context.call_activity("send", [label, kept, str(base)])


@bp.orchestration_trigger(context_name="context")
def takes_config_as_input(context: df.DurableOrchestrationContext):
    config = context.get_input()
    url = config["api_url"]  # ok: DUR005
    target = os.path.join("out", config["name"])  # ok: DUR005 (string work, no file access)
    environ = {"REGION": "local"}  # a local dict named like os.environ
    region = environ.get("REGION")  # ok: DUR005
    yield context.call_activity("send", [url, target, region])


@bp.activity_trigger(input_name="payload")
def send(payload: list) -> str:
    return os.environ.get("INVOICE_API_URL", "")  # ok: DUR005 (activity)


@bp.route(route="start")
@bp.durable_client_input(client_name="client")
async def start(req: func.HttpRequest, client) -> func.HttpResponse:
    url = os.getenv("INVOICE_API_URL")  # ok: DUR005 (starter reads config, passes it in)
    instance_id = await client.start_new("takes_config_as_input", client_input={"api_url": url})
    return client.create_check_status_response(req, instance_id)
