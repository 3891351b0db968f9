"""Names resolve through imports and aliases; an unrelated object with the same method does not."""

import azure.durable_functions as durable
import requests as r
from azure.durable_functions import Blueprint as DurableBlueprint
from datetime import datetime as dt
from time import sleep


class Router:
    """Not a Functions app: its ``orchestration_trigger`` is something else."""

    def orchestration_trigger(self, **kwargs):
        return lambda fn: fn


app = durable.DFApp()
bp = DurableBlueprint()
router = Router()


@app.orchestration_trigger(context_name="ctx")
def on_app(ctx: durable.DurableOrchestrationContext):
    r.post("http://127.0.0.1:9/")  # expect: DUR001
    sleep(1)  # expect: DUR002
    stamp = dt.utcnow()  # expect: DUR003
    yield ctx.call_activity("store", str(stamp))


@bp.orchestration_trigger(context_name="ctx")
def on_blueprint(ctx: durable.DurableOrchestrationContext):
    import uuid as ids  # a function-level import resolves too

    yield ctx.call_activity("store", str(ids.uuid4()))  # expect: DUR004


@router.orchestration_trigger(context_name="ctx")
def on_router(ctx):
    r.post("http://127.0.0.1:9/")  # ok: DUR001 (router is not a DFApp or Blueprint)
    sleep(1)  # ok: DUR002
