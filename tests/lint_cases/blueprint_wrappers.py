"""Orchestrators registered through a project's own app or blueprint class.

A subclass of ``df.Blueprint`` (here, or in another scanned module) registers functions like
the SDK's own; so does a wrapper named like an SDK class whose definition was not scanned. A
class that merely has an ``orchestration_trigger`` method does not.
"""

import time
import uuid

import azure.durable_functions as df
from mylib import Blueprint  # not scanned: trusted by its SDK name
from mylib import Router  # not scanned, not an SDK name


class InvoicesBlueprint(df.Blueprint):
    """The project's wrapper: adds defaults, registers like the SDK's class."""


class AuditedBlueprint(InvoicesBlueprint):
    """A wrapper of the wrapper."""


class Registry:
    """Not a Functions app: its decorator records functions for something else."""

    def orchestration_trigger(self, **kwargs):
        return lambda fn: fn


wrapped = InvoicesBlueprint()
audited = AuditedBlueprint()
imported = Blueprint()
routes = Router()
registry = Registry()


@wrapped.orchestration_trigger(context_name="context")
def on_subclass(context: df.DurableOrchestrationContext):
    time.sleep(1)  # expect: DUR002
    yield context.call_activity("work", 1)


@audited.orchestration_trigger(context_name="context")
def on_subclass_of_subclass(context: df.DurableOrchestrationContext):
    yield context.call_activity("work", str(uuid.uuid4()))  # expect: DUR004


@imported.orchestration_trigger(context_name="context")
def on_imported_wrapper(context: df.DurableOrchestrationContext):
    time.sleep(1)  # expect: DUR002
    yield context.call_activity("work", 1)


@routes.orchestration_trigger(context_name="context")
def on_router(context):
    time.sleep(1)  # ok: DUR002 (Router is not known to be a Functions app)


@registry.orchestration_trigger(context_name="context")
def on_registry(context):
    time.sleep(1)  # ok: DUR002 (Registry subclasses nothing from the SDK)
    return str(uuid.uuid4())  # ok: DUR004


@wrapped.activity_trigger(input_name="n")
def work(n: int) -> int:
    time.sleep(n)  # ok: DUR002 (an activity)
    return n
