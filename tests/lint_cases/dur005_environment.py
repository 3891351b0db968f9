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
