"""Sequential, call_http-loop and fan-out orchestrations whose episode counts the model predicts."""

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)
REPLAYING: list[tuple[str, bool]] = []  # (resume point, context.is_replaying)
PLAYED: list[list[tuple[int, bool]]] = []  # per invocation: (EventType, IsPlayed) of the history


@app.orchestration_trigger(context_name="context")
def sequence(context: df.DurableOrchestrationContext):
    n = context.get_input()["n"]
    results = []
    for i in range(n):
        results.append((yield context.call_activity("double", i)))
    return results


@app.orchestration_trigger(context_name="context")
def http_loop(context: df.DurableOrchestrationContext):
    args = context.get_input()
    statuses = []
    for i in range(args["n"]):
        value = yield context.call_activity("double", i)
        response = yield context.call_http("POST", args["url"], content={"value": value})
        statuses.append(response["statusCode"])
    return statuses


@app.orchestration_trigger(context_name="context")
def fan_out(context: df.DurableOrchestrationContext):
    args = context.get_input()
    values = yield context.task_all([context.call_activity("double", i) for i in range(args["n"])])
    posts = [context.call_http("POST", args["url"], content={"value": v}) for v in values]
    responses = yield context.task_all(posts)
    return [r["statusCode"] for r in responses]


@app.orchestration_trigger(context_name="context")
def recorder(context: df.DurableOrchestrationContext):
    PLAYED.append([(int(e.event_type), e.is_played) for e in context.histories])
    REPLAYING.append(("start", context.is_replaying))
    yield context.call_activity("double", 1)
    REPLAYING.append(("after_first", context.is_replaying))
    yield context.call_activity("double", 2)
    REPLAYING.append(("after_second", context.is_replaying))
    return "done"


@app.activity_trigger(input_name="value")
def double(value: int) -> int:
    return value * 2
