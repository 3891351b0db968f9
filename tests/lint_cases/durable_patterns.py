"""The standard Durable Functions patterns, written the recommended way: nothing may fire here.

Our own equivalents of the SDK's samples (chaining, fan-out/fan-in, monitor, human interaction,
sub-orchestration, entities, custom status, eternal orchestration, retries).
"""

import json
import logging
from datetime import timedelta

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)
RETRY = df.RetryOptions(first_retry_interval_in_milliseconds=5000, max_number_of_attempts=3)


@app.route(route="orchestrators/{name}")
@app.durable_client_input(client_name="client")
async def http_start(req: func.HttpRequest, client) -> func.HttpResponse:
    payload = json.loads(req.get_body() or b"null")
    instance_id = await client.start_new(req.route_params["name"], client_input=payload)
    logging.info("started %s", instance_id)
    return client.create_check_status_response(req, instance_id)


@app.orchestration_trigger(context_name="context")
def chaining(context: df.DurableOrchestrationContext):
    first = yield context.call_activity("greet", "Lisbon")
    context.set_custom_status(f"{first} ->")
    second = yield context.call_activity("greet", first)
    return [first, second]


@app.orchestration_trigger(context_name="context")
def backup(context: df.DurableOrchestrationContext):
    folder = context.get_input()
    if not folder:
        raise ValueError("a folder is required")
    names = yield context.call_activity("list_files", folder)
    copies = []
    for name in names:  # ok: DUR101 (schedules only)
        copies.append(context.call_activity("copy_file", name))
    sizes = yield context.task_all(copies)
    return sum(sizes)


@app.orchestration_trigger(context_name="context")
def monitor(context: df.DurableOrchestrationContext):
    job = context.get_input()
    expiry = context.current_utc_datetime + timedelta(minutes=30)
    while context.current_utc_datetime < expiry:  # ok: DUR101 (polls on a timer)
        status = json.loads((yield context.call_activity("poll_job", job)))
        if status["code"] == 202:
            context.set_custom_status(status)
            yield context.create_timer(context.current_utc_datetime + timedelta(minutes=1))
        elif status["code"] == 500:
            raise RuntimeError("job failed")
        else:
            return status
    return None


@app.orchestration_trigger(context_name="context")
def approval(context: df.DurableOrchestrationContext):
    phone = context.get_input()
    code = yield context.call_activity("send_code", phone)
    timeout = context.create_timer(context.current_utc_datetime + timedelta(seconds=180))
    approved = False
    for _ in range(3):  # ok: DUR101 (waits for a person, races a timer)
        answer = context.wait_for_external_event("SmsChallengeResponse")
        winner = yield context.task_any([answer, timeout])
        if winner == answer and answer.result == code:
            approved = True
            break
    if not timeout.is_completed:
        timeout.cancel()
    return approved


@app.orchestration_trigger(context_name="context")
def parent(context: df.DurableOrchestrationContext):
    region = yield context.call_sub_orchestrator("child", "Seattle")
    retried = yield context.call_activity_with_retry("greet", RETRY, region)
    entity = df.EntityId("counter", "invoices")
    context.signal_entity(entity, "add", 3)
    state = yield context.call_entity(entity, "get")
    return retried, state, context.new_uuid(), context.current_utc_datetime.isoformat()


@app.orchestration_trigger(context_name="context")
def child(context: df.DurableOrchestrationContext):
    return (yield context.call_activity("greet", context.get_input()))


@app.orchestration_trigger(context_name="context")
def cleanup_forever(context: df.DurableOrchestrationContext):
    yield context.call_activity("greet", "cleanup")
    yield context.create_timer(context.current_utc_datetime + timedelta(hours=1))
    context.continue_as_new(None)


@app.activity_trigger(input_name="name")
def greet(name: str) -> str:
    return f"Hello {name}!"


@app.activity_trigger(input_name="folder")
def list_files(folder: str) -> list:
    return [folder]


@app.activity_trigger(input_name="name")
def copy_file(name: str) -> int:
    return len(name)


@app.activity_trigger(input_name="job")
def poll_job(job: str) -> str:
    return json.dumps({"code": 200})


@app.activity_trigger(input_name="phone")
def send_code(phone: str) -> int:
    return 1234


@app.entity_trigger(context_name="context")
def counter(context: df.DurableEntityContext):
    value = context.get_state(lambda: 0)
    if context.operation_name == "add":
        value += context.get_input()
    context.set_state(value)
    context.set_result(value)
