"""DUR003 cases: wall-clock reads in orchestrators; the replay-safe clock stays silent."""

import datetime as dtmod
import time
from datetime import date, datetime, timedelta, timezone
from datetime import datetime as dt

import azure.durable_functions as df

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def stamps(context: df.DurableOrchestrationContext):
    started = datetime.now(timezone.utc)  # expect: DUR003
    legacy = dt.utcnow()  # expect: DUR003
    today = date.today()  # expect: DUR003
    also_today = dtmod.date.today()  # expect: DUR003
    tick = time.time()  # expect: DUR003
    elapsed = time.monotonic() - tick  # expect: DUR003
    now_struct = time.localtime()  # expect: DUR003
    yield context.call_activity("record", [str(started), str(legacy), str(today)])
    return also_today, elapsed, now_struct


@bp.orchestration_trigger(context_name="context")
def replay_safe(context: df.DurableOrchestrationContext):
    now = context.current_utc_datetime  # ok: DUR003
    deadline = now + timedelta(minutes=5)
    parsed = datetime.fromisoformat("2024-01-01T00:00:00+00:00")  # ok: DUR003
    fixed = time.localtime(0)  # ok: DUR003 (formats a given time)
    yield context.create_timer(deadline)
    return parsed, fixed


@bp.activity_trigger(input_name="stamps")
def record(stamps: list) -> str:
    return datetime.now(timezone.utc).isoformat()  # ok: DUR003 (activity)
