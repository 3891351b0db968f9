"""Helpers in the same module that orchestrators call are checked, transitively."""

import os
import random

import azure.durable_functions as df
import requests

bp = df.Blueprint()


def post_result(url: str, payload: dict) -> int:
    """Called from an orchestrator: its I/O replays with it."""
    return requests.post(url, json=payload, timeout=5).status_code  # expect: DUR001


def pick_region() -> str:
    return choose(["eu", "us"])


def choose(options: list) -> str:
    """Reached through pick_region: still orchestrator code."""
    return random.choice(options)  # expect: DUR004


def read_setting() -> str:
    """Only the activity calls this."""
    return os.environ["SETTING"]  # ok: DUR005


@bp.orchestration_trigger(context_name="context")
def uses_helpers(context: df.DurableOrchestrationContext):
    result = yield context.call_activity("compute", context.get_input())
    post_result("http://127.0.0.1:9/", result)
    return pick_region()


@bp.orchestration_trigger(context_name="context")
def also_uses_helpers(context: df.DurableOrchestrationContext):
    yield context.call_activity("compute", pick_region())


@bp.activity_trigger(input_name="payload")
def compute(payload: dict) -> dict:
    payload["setting"] = read_setting()
    return payload
