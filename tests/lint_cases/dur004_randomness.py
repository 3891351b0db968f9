"""DUR004 cases: randomness and fresh ids in orchestrators; seeded and replay-safe ids are fine."""

import os
import random
import secrets
import uuid
import uuid as u
from random import choice

import azure.durable_functions as df

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def rolls_dice(context: df.DurableOrchestrationContext):
    roll = random.randint(1, 6)  # expect: DUR004
    pick = choice(["a", "b"])  # expect: DUR004
    order_id = uuid.uuid4()  # expect: DUR004
    legacy_id = u.uuid1()  # expect: DUR004
    salt = os.urandom(8)  # expect: DUR004
    token = secrets.token_hex(8)  # expect: DUR004
    unseeded = random.Random()  # expect: DUR004
    yield context.call_activity("store", [roll, pick, str(order_id), str(legacy_id)])
    return salt, token, unseeded


@bp.orchestration_trigger(context_name="context")
def repeatable(context: df.DurableOrchestrationContext):
    run = context.get_input()
    rng = random.Random(run["seed"])  # ok: DUR004 (seeded from the input)
    roll = rng.randint(1, 6)  # ok: DUR004
    order_id = context.new_uuid()  # ok: DUR004
    stable = uuid.uuid5(uuid.NAMESPACE_URL, run["url"])  # ok: DUR004 (deterministic)
    yield context.call_activity("store", [roll, order_id, str(stable)])


@bp.orchestration_trigger(context_name="context")
def shadowed(context: df.DurableOrchestrationContext):
    random = context.get_input()  # a local named like the module
    yield context.call_activity("store", random.choice)  # ok: DUR004


@bp.activity_trigger(input_name="values")
def store(values: list) -> str:
    return str(uuid.uuid4())  # ok: DUR004 (activity)
