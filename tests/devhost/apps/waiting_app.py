"""Timers, external events, continue-as-new and sub-orchestrations."""

from datetime import timedelta

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.orchestration_trigger(context_name="context")
def sleeper(context: df.DurableOrchestrationContext):
    yield context.create_timer(context.current_utc_datetime + timedelta(seconds=30))
    return "woke"


@app.orchestration_trigger(context_name="context")
def racer(context: df.DurableOrchestrationContext):
    cancel = context.get_input()["cancel"]
    timer = context.create_timer(context.current_utc_datetime + timedelta(hours=1))
    winner = yield context.task_any([context.call_activity("echo", "fast"), timer])
    if cancel:
        timer.cancel()
    return winner.result


@app.orchestration_trigger(context_name="context")
def approval(context: df.DurableOrchestrationContext):
    first = yield context.wait_for_external_event("Approval")
    second = yield context.wait_for_external_event("Approval")
    return [first, second]


@app.orchestration_trigger(context_name="context")
def patient(context: df.DurableOrchestrationContext):
    """Wait for "Ping" with a 60 s timeout, again after each timeout (an abandoned waiter stays);
    answer the ping with an activity before cancelling the timer."""
    tries = 0
    while True:
        tries += 1
        timeout = context.create_timer(context.current_utc_datetime + timedelta(seconds=60))
        ping = context.wait_for_external_event("Ping")
        winner = yield context.task_any([ping, timeout])
        if winner == ping:
            reply = yield context.call_activity("echo", ping.result)
            timeout.cancel()
            return {"tries": tries, "reply": reply}


@app.orchestration_trigger(context_name="context")
def countdown(context: df.DurableOrchestrationContext):
    n = context.get_input()
    if n == 0:
        return "liftoff"
    yield context.call_activity("echo", n)
    context.continue_as_new(n - 1)


@app.orchestration_trigger(context_name="context")
def parent(context: df.DurableOrchestrationContext):
    child = yield context.call_sub_orchestrator("child", {"x": 2}, "child-1")
    try:
        yield context.call_sub_orchestrator("broken_child", None)
    except Exception as exc:
        return {"child": child, "error": str(exc)}


@app.orchestration_trigger(context_name="context")
def child(context: df.DurableOrchestrationContext):
    value = yield context.call_activity("echo", context.get_input()["x"])
    return {"got": value, "parent": context.parent_instance_id}


@app.orchestration_trigger(context_name="context")
def broken_child(context: df.DurableOrchestrationContext):
    yield context.call_activity("echo", 0)
    raise ValueError("child broke")


@app.activity_trigger(input_name="value")
def echo(value):
    return value


@app.orchestration_trigger(context_name="context")
def tally(context: df.DurableOrchestrationContext):
    """Add one "Add" event per generation, continuing as new until the total reaches 3."""
    total = (context.get_input() or 0) + (yield context.wait_for_external_event("Add"))
    if total >= 3:
        return total
    context.continue_as_new(total)


@app.orchestration_trigger(context_name="context")
def guardian(context: df.DurableOrchestrationContext):
    """Waits for a child that waits for two events (it ends only when terminated)."""
    return (yield context.call_sub_orchestrator("approval", None, "ward-1"))


@app.orchestration_trigger(context_name="context")
def narcissist(context: df.DurableOrchestrationContext):
    """Calls a sub-orchestration with its own instance id (in another case)."""
    return (yield context.call_sub_orchestrator("child", {"x": 1}, context.instance_id.upper()))


@app.orchestration_trigger(context_name="context")
def big_status(context: df.DurableOrchestrationContext):
    """Sets a custom status of `chars` characters, before or after a first activity."""
    args = context.get_input()
    if args["after_activity"]:
        yield context.call_activity("echo", 1)
    context.set_custom_status(args["char"] * args["chars"])
    if args.get("raise"):
        raise ValueError("after a big status")
    yield context.call_activity("echo", 2)
    return "done"


@app.orchestration_trigger(context_name="context")
def phases(context: df.DurableOrchestrationContext):
    """Sets a status only while not replaying, then whatever the first "Next" event carries."""
    if not context.is_replaying:
        context.set_custom_status("fresh")
    value = yield context.wait_for_external_event("Next")
    context.set_custom_status(value)
    yield context.wait_for_external_event("Next")
    return "done"


@app.orchestration_trigger(context_name="context")
def relay(context: df.DurableOrchestrationContext):
    """Generation 0 sets a status and continues as new; generation 1 sets none and waits."""
    if context.get_input() == 0:
        context.set_custom_status("before continue_as_new")
        context.continue_as_new(1)
        return None
    yield context.wait_for_external_event("Next")
    return "done"
