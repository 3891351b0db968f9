"""An orchestration started with malformed input (bypassing the starters) fails with a clear
message instead of crashing somewhere inside the loop."""

import json

import pytest

from contract import ORCHESTRATORS

GOOD = {"count": 2, "seed": 0}
NOT_AN_OBJECT = 'orchestration input must be a JSON object such as {"count": 5, "seed": 0}'


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([1, 2], NOT_AN_OBJECT),
        ({"count": 2}, "orchestration input is missing 'seed'"),
        ({**GOOD, "count": 50_001}, "orchestration input 'count' must be at most 50000"),
        ({**GOOD, "count": "2"}, "orchestration input 'count' must be an integer >= 0"),
        ({**GOOD, "seed": True}, "orchestration input 'seed' must be an integer >= 0"),
        ({**GOOD, "max_parallel": 0}, "orchestration input 'max_parallel' must be an integer >= 1"),
        ({**GOOD, "api_url": ""}, "orchestration input 'api_url' must be a non-empty string"),
    ],
)
@pytest.mark.parametrize("name", ORCHESTRATORS)
async def test_malformed_input_fails_the_instance(app_host, name, payload, message):
    engine = app_host.engine
    # The body the SDK client POSTs: the input JSON-encoded twice.
    instance_id = await engine.start_new(name, None, json.dumps(json.dumps(payload)))
    status = await engine.wait(instance_id, timeout=30)
    assert status["runtimeStatus"] == "Failed"
    assert status["output"] == f"Orchestrator function '{name}' failed: {message}"
    assert engine.counters(instance_id).activities_run == 0


@pytest.mark.parametrize("body", ["[1, 2]", '"hello"', "7", "null"])
@pytest.mark.parametrize("name", ORCHESTRATORS)
async def test_a_webhook_body_that_is_not_an_object_fails_clearly(app_host, name, body):
    """``curl -d '[1,2]' .../runtime/webhooks/durabletask/orchestrators/{name}`` encodes the input
    once: the extension hands the worker a JSON array or string (Azure/azure-functions-durable-
    extension, OrchestrationTriggerAttributeBindingProvider.OrchestrationContextToString puts
    `GetInputAsJson()` in "input"), and the SDK's `get_input` then raises on `json.loads` of a
    list or of bare text. The run still fails with the app's one clear sentence."""
    engine = app_host.engine
    instance_id = await engine.start_new(name, None, body)
    status = await engine.wait(instance_id, timeout=30)
    assert status["runtimeStatus"] == "Failed"
    assert status["output"] == f"Orchestrator function '{name}' failed: {NOT_AN_OBJECT}"
    assert engine.counters(instance_id).activities_run == 0
