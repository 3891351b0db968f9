"""DUR006 cases: threads, processes and async code in orchestrators; task_all stays silent."""

import asyncio
import multiprocessing
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import azure.durable_functions as df

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def spawns(context: df.DurableOrchestrationContext):
    worker = threading.Thread(target=print)  # expect: DUR006
    with ThreadPoolExecutor() as pool:  # expect: DUR006
        pool.map(print, [1, 2])
    subprocess.run(["echo", "hi"], check=True)  # expect: DUR006
    multiprocessing.Pool(2)  # expect: DUR006
    asyncio.run(asyncio.sleep(0))  # expect: DUR002, DUR006
    yield context.call_activity("work", 1)
    return worker


@bp.orchestration_trigger(context_name="context")
async def async_orchestrator(context: df.DurableOrchestrationContext):  # expect: DUR006
    return await context.call_activity("work", 1)


@bp.orchestration_trigger(context_name="context")
def fans_out(context: df.DurableOrchestrationContext):
    tasks = [context.call_activity("work", n) for n in range(3)]  # ok: DUR006
    results = yield context.task_all(tasks)  # ok: DUR006
    threads = context.get_input()["threads"]  # ok: DUR006 (just a name)
    return results, threads


@bp.activity_trigger(input_name="n")
def work(n: int) -> int:
    return subprocess.run(["true"], check=False).returncode + n  # ok: DUR006 (activity)
