"""What users' own apps meet at load and at run time: bindings, disabled functions, timeouts.

Each rule follows the real runtime; the docstrings name the source. Apps are written to a
temporary folder and served as `--app-dir` serves them.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import aiohttp
import pytest

from devhost.http.server import AppLoadError
from devhost.testing import running_host

V2_HEADER = """\
import asyncio
import threading

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)
"""


def _app(folder: Path, body: str, host_json: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "function_app.py").write_text(V2_HEADER + textwrap.dedent(body))
    (folder / "host.json").write_text(json.dumps({"version": "2.0", **(host_json or {})}))
    return folder


RAISES_EVENTS = """
@app.orchestration_trigger(context_name="context")
def waiter(context: df.DurableOrchestrationContext):
    return (yield context.wait_for_external_event("go"))


@app.orchestration_trigger(context_name="context")
def signaller(context: df.DurableOrchestrationContext):
    return (yield context.call_activity("raise_go", context.get_input()))


@app.activity_trigger(input_name="target")
@app.durable_client_input(client_name="client")
async def raise_go(target: str, client: df.DurableOrchestrationClient) -> str:
    await client.raise_event(target, "go", "released by an activity")
    return "sent"
"""


async def test_an_activity_binds_the_durable_client_as_any_function_may(tmp_path) -> None:
    """azure-functions-durable-extension DurableTaskExtension.cs (`Initialize`):
    `context.AddBindingRule<DurableClientAttribute>()` (and the `OrchestrationClientAttribute`
    "backwardsCompRule") binds the client by attribute alone, with no condition on the trigger,
    so an activity that raises events to another instance gets the same client JSON
    (`BindingHelper.DurableOrchestrationClientToString`) as an HTTP starter."""
    async with running_host(app_dir=_app(tmp_path / "app", RAISES_EVENTS)) as host:
        waiter = await host.engine.start_new("waiter")
        # The SDK client posts its input JSON-encoded twice, as start_new does here.
        body = json.dumps(json.dumps(waiter))
        signaller = await host.engine.start_new("signaller", input_json=body)
        sent = await host.engine.wait(signaller, timeout=30)
        released = await host.engine.wait(waiter, timeout=30)
    assert (sent["runtimeStatus"], sent["output"]) == ("Completed", "sent")
    # The SDK client's raise_event JSON-encodes the data twice, on Azure as here.
    assert released["runtimeStatus"] == "Completed"
    assert json.loads(released["output"]) == "released by an activity"


NAMES_ITSELF = """
@app.orchestration_trigger(context_name="context")
def asks(context: df.DurableOrchestrationContext):
    return (yield context.call_activity("who_am_i", "x"))


@app.activity_trigger(input_name="value")
def who_am_i(value: str, context: func.Context) -> str:
    return context.function_name
"""


async def test_an_activity_that_declares_context_gets_the_invocation_context(tmp_path) -> None:
    """Azure/azure-functions-python-worker functions.py, `Registry.is_context_required`: a
    `context` parameter no binding takes is filled with the invocation's `func.Context`
    (`requires_context`), whatever the trigger; the load check then leaves it out."""
    async with running_host(app_dir=_app(tmp_path / "app", NAMES_ITSELF)) as host:
        status = await host.engine.wait(await host.engine.start_new("asks"), timeout=30)
    assert (status["runtimeStatus"], status["output"]) == ("Completed", "who_am_i")


MISSING_CLIENT = """
@app.route(route="start")
@app.durable_client_input(client_name="client")
async def start(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("never reached")
"""

V1_FUNCTION_JSON = {
    "bindings": [{"name": "name", "type": "activityTrigger", "direction": "in"}],
}


async def test_bindings_that_do_not_match_the_parameters_are_refused_at_load(tmp_path) -> None:
    """Azure/azure-functions-python-worker workers/azure_functions_worker/functions.py,
    `Registry.validate_function_params` (after `is_context_required` takes `context` out):
    `FunctionLoadError` "cannot load the {name} function: the following parameters are
    declared in the function definition (function.json or function decorators) but not in
    Python: {...}", and the other direction "...declared in Python but not in the function
    definition (function.json or function decorators):  {...}" (two spaces, as written there).
    The worker answers the metadata (v2) or load (v1) request with the failure, so devhost
    refuses the app with that one line rather than answering 500 on the first call."""
    with pytest.raises(AppLoadError) as v2:
        async with running_host(app_dir=_app(tmp_path / "v2", MISSING_CLIENT)):
            pass
    assert str(v2.value).endswith(
        "cannot load the start function: the following parameters are declared in the function "
        "definition (function.json or function decorators) but not in Python: {'client'}"
    )
    assert "\n" not in str(v2.value)

    v1 = tmp_path / "v1"
    (v1 / "SayHello").mkdir(parents=True)
    (v1 / "SayHello" / "function.json").write_text(json.dumps(V1_FUNCTION_JSON))
    (v1 / "SayHello" / "__init__.py").write_text("def main(city: str) -> str:\n    return city\n")
    (v1 / "host.json").write_text('{"version": "2.0"}')
    with pytest.raises(AppLoadError) as v1_error:
        async with running_host(app_dir=v1):
            pass
    assert str(v1_error.value).endswith(
        "cannot load the SayHello function: the following parameters are declared in Python but "
        "not in the function definition (function.json or function decorators):  {'city'}"
    )


TWO_FUNCTIONS = """
@app.route(route="hello")
def hello(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("hello")


@app.route(route="bye")
def bye(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("bye")


@app.activity_trigger(input_name="name")
def say_hello(name: str) -> str:
    return name
"""


async def test_an_app_setting_disables_a_function_like_function_json_disabled(
    tmp_path,
) -> None:
    """azure-webjobs-sdk Listeners/HostListenerFactory.cs, `IsDisabled`: the setting
    `AzureWebJobs.{name}.Disabled`, or `AzureWebJobs_{name}_Disabled` ("Linux does not support
    dots in env variable name"), read with `IsSettingEnabled` ("1" or "true", any case), keeps
    the function from being started; local.settings.json Values and the environment are both
    configuration."""
    app = _app(tmp_path / "app", TWO_FUNCTIONS)
    values = {"Values": {"AzureWebJobs.hello.Disabled": "true"}}  # local.settings.json
    (app / "local.settings.json").write_text(json.dumps(values))
    env = {"AZUREWEBJOBS_SAY_HELLO_DISABLED": "1"}  # the environment, Linux form, any case
    async with (
        running_host(app_dir=app, env=env) as host,
        aiohttp.ClientSession() as http,
    ):
        assert sorted(host.index.disabled) == ["hello", "say_hello"]
        assert host.index.activity("say_hello") is None
        async with http.get(f"{host.base_url}/api/hello") as disabled:
            assert disabled.status == 404
        async with http.get(f"{host.base_url}/api/bye") as enabled:
            assert (enabled.status, await enabled.text()) == (200, "bye")


SLOW = """
import pathlib
import time

RELEASE = pathlib.Path(__file__).with_name("release")  # the test writes it when it is done


@app.orchestration_trigger(context_name="context")
def runs_slow(context: df.DurableOrchestrationContext):
    return (yield context.call_activity("slow", None))


@app.activity_trigger(input_name="nothing")
def slow(nothing) -> str:
    deadline = time.monotonic() + 60
    while not RELEASE.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return "finished late"


@app.route(route="slow")
async def slow_http(req: func.HttpRequest) -> func.HttpResponse:
    await asyncio.sleep(60)
    return func.HttpResponse("finished late")
"""


async def test_an_activity_past_function_timeout_fails_with_the_hosts_message(tmp_path) -> None:
    """azure-webjobs-sdk `FunctionExecutor` throws `FunctionTimeoutException("Timeout value of
    {0} was exceeded by function: {1}")` past host.json `functionTimeout`; the extension's
    `TaskActivityShim.RunAsync` (`FunctionTimeoutError`, like a user error) fails the task with
    "Activity function '{name}' failed: {message}". The host then restarts the worker process
    (azure-functions-host `WebScriptHostExceptionHandler.OnTimeoutExceptionAsync`); devhost
    cannot stop a Python thread, so it drops the late result instead (docs/devhost.md)."""
    app = _app(tmp_path / "app", SLOW, {"functionTimeout": "00:00:01"})
    try:
        async with running_host(app_dir=app) as host:
            instance = await host.engine.start_new("runs_slow")
            status = await host.engine.wait(instance, timeout=30)
            (app / "release").touch()  # the activity returns now: too late to count
            await host.engine.wait_idle()
            history = host.engine.history(instance)
    finally:
        (app / "release").touch()
    assert status["runtimeStatus"] == "Failed"
    assert (
        "Activity function 'slow' failed: Timeout value of 00:00:01 was exceeded by function: "
        "Functions.slow"
    ) in status["output"]
    kinds = [event["EventType"] for event in history]
    assert (kinds.count(5), kinds.count(6)) == (0, 1)  # TaskCompleted, TaskFailed


async def test_an_http_function_past_function_timeout_answers_500(tmp_path) -> None:
    """The same `FunctionTimeoutException` fails an HTTP invocation, and the host answers its
    request 500 (azure-functions-host `FunctionInvocationMiddleware`: an invocation that
    throws is a 500)."""
    app = _app(tmp_path / "app", SLOW, {"functionTimeout": "00:00:01"})
    async with (
        running_host(app_dir=app) as host,
        aiohttp.ClientSession() as http,
        http.get(f"{host.base_url}/api/slow") as response,
    ):
        assert response.status == 500


BOUNDS = "FunctionTimeout must be greater than 00:00:01 and less than 10675199.02:48:05.4775807."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("00:00:00.5", BOUNDS),
        ("-00:01:00", BOUNDS),
        ("two minutes", "host.json: functionTimeout is not a TimeSpan: 'two minutes'"),
    ],
)
async def test_a_function_timeout_out_of_bounds_stops_the_host_at_start(
    tmp_path, value, message
) -> None:
    """azure-functions-host Config/ScriptJobHostOptionsSetup.cs, `ValidateTimeoutValue`:
    "FunctionTimeout must be greater than {MinFunctionTimeout} and less than {maxTimeout}." is
    an `ArgumentException` at start (off Consumption the maximum is `TimeSpan.MaxValue`); "-1"
    alone means no limit where the plan allows it (`ConfigureFunctionTimeout`)."""
    app = _app(tmp_path / "app", TWO_FUNCTIONS, {"functionTimeout": value})
    with pytest.raises(AppLoadError) as error:
        async with running_host(app_dir=app):
            pass
    assert str(error.value).endswith(message)
