"""The app indexes the way the Python worker indexes it: every function, trigger and route."""

import importlib
import json
import sys

import pytest

from app_settings import FAKE_BILLING_API_ENABLED
from contract import CALCULATE_INVOICE, CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP

# The registered names are the ``def`` names; they must be the names everything else imports.
EXPECTED = {
    CALCULATE_INVOICE: ("activityTrigger", None, None),
    RAW_HTTP_LOOP: ("orchestrationTrigger", None, None),
    CALL_HTTP_LOOP: ("orchestrationTrigger", None, None),
    FAN_OUT_FAN_IN: ("orchestrationTrigger", None, None),
    "start_orchestrator": ("httpTrigger", "orchestrators/{name}", "FUNCTION"),
    "start_comparison": ("httpTrigger", "compare", "FUNCTION"),
    "get_run": ("httpTrigger", "runs/{instance_id}", "FUNCTION"),
}
BILLING = {
    "billing_submit_invoice": ("httpTrigger", "billing/invoices", "ANONYMOUS"),
    "billing_stats": ("httpTrigger", "billing/stats", "ANONYMOUS"),
}


def index(monkeypatch, billing: str):
    monkeypatch.setenv(FAKE_BILLING_API_ENABLED, billing)
    sys.modules.pop("function_app", None)
    app = importlib.import_module("function_app").app
    found = {}
    for function in app.get_functions():
        bindings = [json.loads(b) for b in function.get_raw_bindings()]
        trigger = next(b for b in bindings if b["type"].endswith("Trigger"))
        found[function.get_function_name()] = (
            trigger["type"],
            trigger.get("route"),
            trigger.get("authLevel"),
        )
        if trigger.get("route") in ("orchestrators/{name}", "compare", "runs/{instance_id}"):
            assert {"type": "durableClient", "direction": "IN", "name": "client"} in bindings
    sys.modules.pop("function_app", None)
    return found


@pytest.mark.parametrize(
    ("billing", "expected"), [("false", EXPECTED), ("true", EXPECTED | BILLING)]
)
def test_functions_triggers_and_routes(monkeypatch, billing, expected):
    assert index(monkeypatch, billing) == expected
