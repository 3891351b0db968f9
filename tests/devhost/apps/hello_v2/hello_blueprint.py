"""Durable functions on a blueprint, registered by function_app.py (as samples-v2/blueprint)."""

import json
import os

import azure.durable_functions as df
import azure.functions as func

bp = df.Blueprint()


@bp.route(route="orchestrators/{functionName}", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def http_start(req: func.HttpRequest, client) -> func.HttpResponse:
    body = req.get_body()
    instance_id = await client.start_new(
        req.route_params["functionName"], None, req.get_json() if body else None
    )
    return client.create_check_status_response(req, instance_id)


@bp.orchestration_trigger(context_name="context")
def hello_sequence(context: df.DurableOrchestrationContext):
    results = []
    for city in context.get_input() or ["Tokyo", "Seattle", "London"]:
        results.append((yield context.call_activity("say_hello", city)))
    return results


@bp.orchestration_trigger(context_name="context")
def approval(context: df.DurableOrchestrationContext):
    context.set_custom_status("waiting for approval")
    decision = yield context.wait_for_external_event("Approval")
    # SDK 1.x `client.raise_event` JSON-encodes the data before posting it as JSON, so the
    # extension stores (and the orchestrator receives) a JSON string; a raw HTTP POST does not.
    if isinstance(decision, str):
        decision = json.loads(decision)
    return f"approved by {decision['by']}" if decision.get("ok") else "rejected"


@bp.activity_trigger(input_name="city")
def say_hello(city: str) -> str:
    return f"{os.environ.get('GREETING', 'Hi')} {city}!"
