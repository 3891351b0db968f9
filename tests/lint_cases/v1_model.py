"""The v1 programming model: the orchestrator is whatever ``Orchestrator.create`` wraps."""

import logging
import time

import azure.durable_functions as df
import requests
from azure.durable_functions import Orchestrator as Orch


def orchestrator_function(context: df.DurableOrchestrationContext):
    results = []
    for city in ["Tokyo", "Seattle", "London"]:  # expect: DUR101
        results.append((yield context.call_activity("Hello", city)))
    requests.get("http://127.0.0.1:9/")  # expect: DUR001
    return results


def second_orchestrator(context: df.DurableOrchestrationContext):
    time.sleep(1)  # expect: DUR002
    return (yield context.call_activity("Hello", "Oslo"))


def not_an_orchestrator(url: str) -> int:
    """Never passed to ``Orchestrator.create``: plain code may do I/O."""
    time.sleep(0)  # ok: DUR002
    return requests.get(url, timeout=5).status_code  # ok: DUR001


main = df.Orchestrator.create(orchestrator_function)
other = Orch.create(second_orchestrator)
logging.info("module level code is never checked: %s", time.time())  # ok: DUR003
