"""A small app for the HTTP layer's tests: a starter, an orchestrator, an activity, and probes.

Probe routes report what reached the function (method, URL, query, headers, body, route values,
the thread it ran on) so tests can compare that with what they sent.
"""

from __future__ import annotations

import json
import threading

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)


def _json(body: object, status: int = 200) -> func.HttpResponse:
    return func.HttpResponse(json.dumps(body), status_code=status, mimetype="application/json")


@app.route(route="start/{name}/{instance_id?}", methods=["POST"])
@app.durable_client_input(client_name="client")
async def start(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    body = req.get_body()
    payload = json.loads(body) if body else None
    try:
        instance_id = await client.start_new(
            req.route_params["name"], req.route_params.get("instance_id"), payload
        )
    except Exception as exc:  # the SDK raises with the extension's ExceptionMessage
        return _json({"error": str(exc)}, 400)
    return client.create_check_status_response(req, instance_id)


@app.route(route="client/{op}/{instance_id?}", methods=["GET", "POST", "DELETE"])
@app.durable_client_input(client_name="client")
async def client_ops(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    """Drive the SDK client's other calls through the host's RPC API."""
    op, instance_id = req.route_params["op"], req.route_params.get("instance_id", "")
    if op == "status":
        status = await client.get_status(instance_id, show_history=True, show_input=True)
        return _json(status.to_json() if status.instance_id else None)
    if op == "list":
        return _json(sorted(s.instance_id for s in await client.get_status_all()))
    if op == "list_completed":
        statuses = await client.get_status_by(
            runtime_status=[df.OrchestrationRuntimeStatus.Completed]
        )
        return _json(sorted(s.instance_id for s in statuses))
    if op == "raise":
        await client.raise_event(instance_id, "Approval", req.get_json())
        return _json({"raised": True})
    if op == "terminate":
        await client.terminate(instance_id, "stopped by test")
        return _json({"terminated": True})
    if op == "purge":
        result = await client.purge_instance_history(instance_id)
        return _json({"deleted": result.instances_deleted})
    if op == "payload":
        return _json(client.create_http_management_payload(instance_id))
    return _json({"error": f"unknown op {op}"}, 400)


@app.orchestration_trigger(context_name="context")
def greet(context: df.DurableOrchestrationContext):
    names = context.get_input() or []
    results = []
    for name in names:
        results.append((yield context.call_activity("say_hello", name)))
    return results


@app.orchestration_trigger(context_name="context")
def wait_for_approval(context: df.DurableOrchestrationContext):
    context.set_custom_status({"phase": "waiting"})
    approval = yield context.wait_for_external_event("Approval")
    return {"approved": approval}


@app.activity_trigger(input_name="name")
def say_hello(name: str) -> str:
    return f"Hello {name}"


@app.route(route="echo/{word:alpha}/{n:int?}", methods=["GET", "POST"])
def echo(req: func.HttpRequest) -> func.HttpResponse:
    return _json(
        {
            "method": req.method,
            "url": req.url,
            "params": dict(req.params),
            "route_params": dict(req.route_params),
            "headers": {k: req.headers[k] for k in ("x-probe", "content-type") if k in req.headers},
            "body": req.get_body().decode("latin-1"),
            "thread": threading.current_thread().name,
        }
    )


@app.route(route="async-echo/{*rest}")
async def async_echo(req: func.HttpRequest) -> func.HttpResponse:
    return _json({"rest": req.route_params.get("rest"), "thread": threading.current_thread().name})


@app.route(route="items/special", methods=["GET"])
def special_item(req: func.HttpRequest) -> str:
    return "special"


@app.route(route="items/{id}", methods=["GET"])
def item(req: func.HttpRequest) -> str:
    return f"item {req.route_params['id']}"


@app.route(route="nothing")
def nothing(req: func.HttpRequest) -> None:
    return None


@app.route(route="boom")
def boom(req: func.HttpRequest) -> func.HttpResponse:
    raise RuntimeError("boom")


@app.function_name("who_am_i")
@app.route(route="whoami")
def with_context(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    return _json({"function_name": context.function_name, "invocation_id": context.invocation_id})
