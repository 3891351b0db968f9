"""No orchestrator here: activities, an entity, a starter and plain functions may do anything."""

import os
import random
import time
import uuid
from datetime import datetime

import azure.durable_functions as df
import azure.functions as func
import requests

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)


@app.activity_trigger(input_name="invoice")
def post_invoice(invoice: dict) -> int:
    time.sleep(0.01)  # ok: DUR002
    return requests.post(os.environ["API_URL"], json=invoice, timeout=5).status_code  # ok: DUR001


@app.entity_trigger(context_name="context")
def counter(context: df.DurableEntityContext):
    context.set_state(context.get_state(lambda: 0) + random.randint(1, 2))  # ok: DUR004


@app.route(route="start")
@app.durable_client_input(client_name="client")
async def start(req: func.HttpRequest, client) -> func.HttpResponse:
    instance_id = await client.start_new("somewhere_else", str(uuid.uuid4()))  # ok: DUR004
    return client.create_check_status_response(req, instance_id)


def report() -> str:
    for _ in range(3):  # ok: DUR101
        time.sleep(0)
    return datetime.now().isoformat()  # ok: DUR003
