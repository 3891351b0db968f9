"""Orchestrators for `devhost --strict`: each kind of side effect, and look-alikes that are fine.

Every ``*_direct`` and ``*_helper`` orchestrator does one side effect (here, or through a helper
in strict_helpers.py), then awaits one activity: two episodes, so the effect happens twice, once
while replaying. A line marked ``# strict: DURnnn`` is where ``--strict`` must report it. The
``quiet_*`` orchestrators do the same work where it belongs and must stay unreported. Input:
``{"address": [host, port], "path": file}``.
"""

import json
import logging
import os
import random
import socket
import subprocess
import time
import uuid
from datetime import UTC, datetime

import azure.durable_functions as df
import azure.functions as func
import strict_helpers

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="ping", methods=["GET"])
def ping(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("pong")


@app.activity_trigger(input_name="value")
def echo(value):
    return value


@app.activity_trigger(input_name="args")
def side_effects(args: dict) -> list:
    """What an activity may do: I/O, clock, randomness, settings, processes."""
    time.sleep(0)
    return [*strict_helpers.everything(args["address"], args["path"]), random.random()]


def _finish(context: df.DurableOrchestrationContext, value):
    """Await one activity: the side effect above it runs again when the episode replays."""
    result = yield context.call_activity("echo", str(value))
    return result


@app.orchestration_trigger(context_name="context")
def network_direct(context: df.DurableOrchestrationContext):
    address = tuple(context.get_input()["address"])
    socket.create_connection(address, timeout=5).close()  # strict: DUR001
    return (yield from _finish(context, "connected"))


@app.orchestration_trigger(context_name="context")
def file_direct(context: df.DurableOrchestrationContext):
    with open(context.get_input()["path"], encoding="utf-8") as config:  # strict: DUR005
        text = config.read()
    return (yield from _finish(context, text))


@app.orchestration_trigger(context_name="context")
def file_write_direct(context: df.DurableOrchestrationContext):
    with open(context.get_input()["path"], "w", encoding="utf-8") as out:  # strict: DUR005
        out.write("written")
    return (yield from _finish(context, "written"))


@app.orchestration_trigger(context_name="context")
def process_direct(context: df.DurableOrchestrationContext):
    subprocess.run(["true"], check=True)  # strict: DUR006
    return (yield from _finish(context, "ran"))


@app.orchestration_trigger(context_name="context")
def system_direct(context: df.DurableOrchestrationContext):
    os.system("true")  # strict: DUR006
    return (yield from _finish(context, "ran"))


@app.orchestration_trigger(context_name="context")
def clock_direct(context: df.DurableOrchestrationContext):
    stamp = datetime.now(UTC)  # strict: DUR003
    return (yield from _finish(context, stamp.isoformat()))


@app.orchestration_trigger(context_name="context")
def time_direct(context: df.DurableOrchestrationContext):
    stamp = time.time()  # strict: DUR003
    return (yield from _finish(context, stamp))


@app.orchestration_trigger(context_name="context")
def random_direct(context: df.DurableOrchestrationContext):
    dice = random.randint(1, 6)  # strict: DUR004
    return (yield from _finish(context, dice))


@app.orchestration_trigger(context_name="context")
def uuid_direct(context: df.DurableOrchestrationContext):
    run_id = uuid.uuid4()  # strict: DUR004
    return (yield from _finish(context, run_id))


@app.orchestration_trigger(context_name="context")
def env_direct(context: df.DurableOrchestrationContext):
    value = os.environ["STRICT_SETTING"]  # strict: DUR005
    return (yield from _finish(context, value))


@app.orchestration_trigger(context_name="context")
def sleep_direct(context: df.DurableOrchestrationContext):
    time.sleep(0)  # strict: DUR002
    return (yield from _finish(context, "slept"))


@app.orchestration_trigger(context_name="context")
def network_helper(context: df.DurableOrchestrationContext):
    strict_helpers.ping(context.get_input()["address"])
    return (yield from _finish(context, "connected"))


@app.orchestration_trigger(context_name="context")
def file_helper(context: df.DurableOrchestrationContext):
    return (yield from _finish(context, strict_helpers.read_config(context.get_input()["path"])))


@app.orchestration_trigger(context_name="context")
def process_helper(context: df.DurableOrchestrationContext):
    strict_helpers.run_tool()
    return (yield from _finish(context, "ran"))


@app.orchestration_trigger(context_name="context")
def clock_helper(context: df.DurableOrchestrationContext):
    return (yield from _finish(context, strict_helpers.today()))


@app.orchestration_trigger(context_name="context")
def random_helper(context: df.DurableOrchestrationContext):
    return (yield from _finish(context, strict_helpers.new_id()))


@app.orchestration_trigger(context_name="context")
def env_helper(context: df.DurableOrchestrationContext):
    return (yield from _finish(context, strict_helpers.setting()))


@app.orchestration_trigger(context_name="context")
def quiet_activity(context: df.DurableOrchestrationContext):
    """Every side effect above, in an activity: recorded in history, run once."""
    results = yield context.call_activity("side_effects", context.get_input())
    return len(results)


@app.orchestration_trigger(context_name="context")
def quiet_context(context: df.DurableOrchestrationContext):
    """The replay-safe look-alikes: the context's clock and ids, a seeded RNG, safe logging."""
    args = context.get_input()
    stamp = context.current_utc_datetime
    run_id = context.new_uuid()
    dice = random.Random(f"{context.instance_id}:dice").randint(1, 6)
    if not context.is_replaying:
        logging.info("quiet_context %s started at %s", run_id, stamp.isoformat())
    logging.debug("quiet_context replaying=%s", context.is_replaying)
    url = f"http://{args['address'][0]}:{args['address'][1]}/api/ping"
    response = yield context.call_http("GET", url)
    echoed = yield context.call_activity("echo", f"{run_id}:{dice}")
    return [response["statusCode"], echoed]


@app.orchestration_trigger(context_name="context")
def quiet_sdk_work(context: df.DurableOrchestrationContext):
    """A first import (it opens a file), JSON, and logging on every replay: none is reported."""
    import strict_lazy

    logging.warning("quiet_sdk_work replaying=%s", context.is_replaying)
    payload = json.loads(json.dumps({"greeting": strict_lazy.GREETING}))
    return (yield from _finish(context, payload["greeting"]))
