"""Orchestrations for the durability tests: activities that log their runs and can be held.

Each `step` run appends "start N" and "done N" to runs.log in the folder named by the
DURABLE_APP_DIR setting; while a file named `hold` is there, a step waits (up to 20 s) before it
finishes, so a test can stop or kill the host in the middle of it.
"""

import os
import threading
import time
from pathlib import Path

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


def _folder() -> Path:
    return Path(os.environ["DURABLE_APP_DIR"])


def _log(folder: Path, line: str) -> None:
    with (folder / "runs.log").open("a") as runs:
        runs.write(line + "\n")


@app.orchestration_trigger(context_name="context")
def two_steps(context: df.DurableOrchestrationContext):
    first = yield context.call_activity("step", 1)
    second = yield context.call_activity("step", 2)
    return [first, second]


@app.orchestration_trigger(context_name="context")
def waiter(context: df.DurableOrchestrationContext):
    value = yield context.wait_for_external_event("go")
    doubled = yield context.call_activity("step", value)
    return doubled


@app.orchestration_trigger(context_name="context")
def parent_of_two_steps(context: df.DurableOrchestrationContext):
    child = yield context.call_sub_orchestrator("two_steps", None, "the-child")
    return {"child": child}


@app.activity_trigger(input_name="value")
def step(value: int) -> int:
    # The folder is read once: a run cut off by one test may still be holding when the next
    # test points DURABLE_APP_DIR elsewhere, and must not write into that test's log.
    folder = _folder()
    _log(folder, f"start {value}")
    deadline = time.monotonic() + 20
    while (folder / "hold").exists() and time.monotonic() < deadline:
        threading.Event().wait(0.01)
    _log(folder, f"done {value}")
    return value * 10
