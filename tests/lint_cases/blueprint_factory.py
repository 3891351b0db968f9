"""Orchestrators registered on a blueprint that a factory function builds and returns.

The shape seen in users' apps: ``bp = make_blueprint()`` at module level, where the factory
configures a ``df.Blueprint`` and returns it (annotated or not). A factory that returns something
else is not an app.
"""

import time
import uuid

import azure.durable_functions as df


def make_blueprint() -> df.Blueprint:
    """Annotated: the return type says it."""
    return df.Blueprint()


def make_configured():
    """Not annotated: the returned local says it."""
    blueprint = df.Blueprint()
    return blueprint


class Registry:
    """Not a Functions app: its decorator records functions for something else."""

    def orchestration_trigger(self, **kwargs):
        return lambda fn: fn


def make_registry():
    return Registry()


bp = make_blueprint()
configured = make_configured()
registry = make_registry()


@bp.orchestration_trigger(context_name="context")
def on_factory_blueprint(context: df.DurableOrchestrationContext):
    time.sleep(1)  # expect: DUR002
    yield context.call_activity("work", 1)


@configured.orchestration_trigger(context_name="context")
def on_unannotated_factory(context: df.DurableOrchestrationContext):
    yield context.call_activity("work", str(uuid.uuid4()))  # expect: DUR004


@registry.orchestration_trigger(context_name="context")
def on_factory_registry(context):
    time.sleep(1)  # ok: DUR002 (the factory returns a Registry, not an app)
    return str(uuid.uuid4())  # ok: DUR004


@bp.activity_trigger(input_name="n")
def work(n: int) -> int:
    time.sleep(n)  # ok: DUR002 (an activity)
    return n
