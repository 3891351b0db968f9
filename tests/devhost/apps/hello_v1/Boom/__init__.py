"""Fails twice: the activity raises, then the orchestrator itself raises."""

import contextlib

import azure.durable_functions as df


def orchestrator_function(context: df.DurableOrchestrationContext):
    with contextlib.suppress(Exception):
        yield context.call_activity("Explode", "fuse")
    raise RuntimeError("orchestrator gave up")


main = df.Orchestrator.create(orchestrator_function)
