"""Orchestrations that fail, retry, fail fast, call a typo, or change their code mid-flight."""

import contextlib
import threading

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)
RELEASE = threading.Event()  # the test lets `gated` finish when it is ready


@app.orchestration_trigger(context_name="context")
def retrying(context: df.DurableOrchestrationContext):
    options = df.RetryOptions(first_retry_interval_in_milliseconds=1000, max_number_of_attempts=2)
    try:
        yield context.call_activity_with_retry("always_fails", options, "x")
    except Exception as exc:
        error = str(exc)
    after = yield context.call_activity("echo", "after")
    return {"error": error, "after": after}


@app.orchestration_trigger(context_name="context")
def retry_edge(context: df.DurableOrchestrationContext):
    """Retries with the options the test passes: `[first interval ms, max attempts]`."""
    first_ms, attempts = context.get_input()
    options = df.RetryOptions(first_ms, attempts)  # the SDK checks only first_ms > 0
    return (yield context.call_activity_with_retry("echo", options, "x"))


@app.orchestration_trigger(context_name="context")
def fail_fast(context: df.DurableOrchestrationContext):
    with contextlib.suppress(Exception):  # task_all fails fast on child 0
        yield context.task_all(
            [context.call_activity("always_fails", 1), context.call_activity("gated", 2)]
        )
    return (yield context.call_activity("echo", "after"))


@app.orchestration_trigger(context_name="context")
def typo(context: df.DurableOrchestrationContext):
    return (yield context.call_activity("ecoh", 1))


@app.orchestration_trigger(context_name="context")
def raises(context: df.DurableOrchestrationContext):
    yield context.call_activity("echo", 1)
    raise ValueError("bad invoice")


@app.orchestration_trigger(context_name="context")
def flow_v1(context: df.DurableOrchestrationContext):
    first = yield context.call_activity("echo", "a")
    yield context.wait_for_external_event("Go")
    return [first, (yield context.call_activity("echo", "b"))]


@app.orchestration_trigger(context_name="context")
def flow_v2(context: df.DurableOrchestrationContext):
    first = yield context.call_activity("gated", "a")  # renamed activity at sequence id 0
    yield context.wait_for_external_event("Go")
    return [first, (yield context.call_activity("echo", "b"))]


@app.activity_trigger(input_name="value")
def echo(value):
    return value


@app.activity_trigger(input_name="value")
def always_fails(value):
    raise RuntimeError(f"no luck with {value}")


@app.activity_trigger(input_name="value")
def gated(value):
    RELEASE.wait(10)
    return value
