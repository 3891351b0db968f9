"""DUR002 cases: blocking waits in orchestrators; durable timers and look-alikes stay silent."""

import asyncio
import threading
import time
from datetime import timedelta
from time import sleep as nap

import azure.durable_functions as df

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def waits_badly(context: df.DurableOrchestrationContext):
    yield context.call_activity("ping", 1)
    time.sleep(5)  # expect: DUR002
    nap(1)  # expect: DUR002
    asyncio.sleep(1)  # expect: DUR002
    threading.Event().wait(3)  # expect: DUR002
    return "done"


@bp.orchestration_trigger(context_name="context")
def waits_well(context: df.DurableOrchestrationContext):
    fire_at = context.current_utc_datetime + timedelta(seconds=5)
    yield context.create_timer(fire_at)  # ok: DUR002
    context.sleep(5)  # ok: DUR002 (a method on the context, not time.sleep)
    clock = context.get_input()
    clock.time.sleep(1)  # ok: DUR002 (attribute of a local object)
    return pause(context)


def pause(time):
    """A helper whose parameter is called ``time``: not the module."""
    return time.sleep(0)  # ok: DUR002


@bp.activity_trigger(input_name="n")
def ping(n: int) -> int:
    time.sleep(0.01)  # ok: DUR002 (activities may block)
    return n
