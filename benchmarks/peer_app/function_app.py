"""The four shapes of benchmarks/peer_durabletask.py as a Durable Functions app, for devhost.

The same orchestrators as the peer's side (peer_durabletask_driver.py), on the Python SDK.
"""

from datetime import timedelta

import azure.durable_functions as df

app = df.DFApp()


@app.activity_trigger(input_name="name")
def hello(name: str) -> str:
    return f"Hello {name}!"


@app.orchestration_trigger(context_name="context")
def chain(context: df.DurableOrchestrationContext):
    results = []
    for i in range(context.get_input()):  # noqa: DUR101 - the chain shape: one after another
        results.append((yield context.call_activity("hello", str(i))))
    return len(results)


@app.orchestration_trigger(context_name="context")
def fan_out(context: df.DurableOrchestrationContext):
    tasks = [context.call_activity("hello", str(i)) for i in range(context.get_input())]
    results = yield context.task_all(tasks)
    return len(results)


@app.orchestration_trigger(context_name="context")
def one(context: df.DurableOrchestrationContext):
    return (yield context.call_activity("hello", context.get_input()))


@app.orchestration_trigger(context_name="context")
def timer(context: df.DurableOrchestrationContext):
    fire_at = context.current_utc_datetime + timedelta(seconds=context.get_input())
    yield context.create_timer(fire_at)
    return "fired"
