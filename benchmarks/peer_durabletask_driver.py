"""The peer's side of benchmarks/peer_durabletask.py: durabletask's InMemoryOrchestrationBackend.

Run by the benchmark with the interpreter of its own virtualenv (durabletask installed there, not
in this repository's): it imports nothing of this repository. One backend, one worker and one
client are started once, as devhost's host is; then each line on stdin names a shape, and one
JSON line on stdout answers with its figures. The backend binds the port it is given on every
interface (its own `start`); the worker and client talk to it on 127.0.0.1.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import timedelta

from durabletask import client, task, worker
from durabletask.testing import create_test_backend


def hello(ctx: task.ActivityContext, name: str) -> str:
    return f"Hello {name}!"


def chain(ctx: task.OrchestrationContext, n: int):
    results = []
    for i in range(n):
        results.append((yield ctx.call_activity(hello, input=str(i))))
    return len(results)


def fan_out(ctx: task.OrchestrationContext, n: int):
    results = yield task.when_all([ctx.call_activity(hello, input=str(i)) for i in range(n)])
    return len(results)


def one(ctx: task.OrchestrationContext, name: str):
    return (yield ctx.call_activity(hello, input=name))


def timer(ctx: task.OrchestrationContext, seconds: float):
    yield ctx.create_timer(timedelta(seconds=seconds))
    return "fired"


ORCHESTRATORS = {"chain": chain, "fan_out": fan_out, "one": one, "timer": timer}


def run_one(hub: client.TaskHubGrpcClient, name: str, payload: object) -> float:
    began = time.perf_counter()
    instance_id = hub.schedule_new_orchestration(ORCHESTRATORS[name], input=payload)
    state = hub.wait_for_orchestration_completion(instance_id, timeout=600)
    elapsed = time.perf_counter() - began
    if state is None or state.runtime_status != client.OrchestrationStatus.COMPLETED:
        raise RuntimeError(f"{name} ended {state and state.runtime_status}")
    return elapsed


def main() -> int:
    port = int(sys.argv[1])
    # Warnings only, as devhost's side runs with the app's logs quiet (comparison.console).
    logging.basicConfig(level=logging.WARNING)
    quiet = logging.getLogger("peer")
    quiet.setLevel(logging.WARNING)
    backend = create_test_backend(port=port)
    address = f"127.0.0.1:{port}"
    runner = worker.TaskHubGrpcWorker(host_address=address, logger=quiet)
    for orchestrator in ORCHESTRATORS.values():
        runner.add_orchestrator(orchestrator)
    runner.add_activity(hello)
    runner.start()
    hub = client.TaskHubGrpcClient(host_address=address, logger=quiet)
    try:
        run_one(hub, "one", "warm-up")
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            times = [
                run_one(hub, request["name"], request["input"]) for _ in range(request["count"])
            ]
            print(json.dumps({"seconds": times}), flush=True)
    finally:
        runner.stop()
        backend.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
