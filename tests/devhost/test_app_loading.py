"""`--app-dir` is loaded the way the Python worker and the Functions host load an app folder."""

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app_settings import FAKE_BILLING_API_ENABLED, INVOICE_API_URL
from devhost.http.app_loader import load_app
from devhost.http.server import AppLoadError
from devhost.testing import running_host

ROOT = Path(__file__).resolve().parents[2]
APPS = Path(__file__).parent / "apps"


def _functions(index):
    return sorted((f.name, f.trigger_type) for f in index.functions)


def test_a_folder_without_function_app_py_is_indexed_from_its_function_json_folders(monkeypatch):
    """Azure/azure-functions-python-worker `functions_metadata_request` answers
    `use_default_metadata_indexing=True` for a v1 app and the host indexes function.json
    folders; `loader.load_function` imports `__app__.<folder>[.<script>]` and takes
    `entryPoint` (default `main`). This repository's own function_app.py is importable (the
    repo root is on sys.path) and must not stand in for the v1 app."""
    monkeypatch.syspath_prepend(str(ROOT))
    index = load_app(APPS / "hello_v1")
    assert _functions(index) == [
        ("Boom", "orchestrationTrigger"),
        ("E1_HelloSequence", "orchestrationTrigger"),
        ("E1_SayHello", "activityTrigger"),
        ("Explode", "activityTrigger"),
        ("HttpStart", "httpTrigger"),
    ]  # Disabled ("disabled": true) is skipped and never imported
    say_hello = index.activity("e1_sayhello")
    assert say_hello.func.__module__ == "__app__.E1_SayHello.say"  # scriptFile say.py
    assert say_hello.func.__name__ == "say_hello"  # entryPoint
    assert say_hello.input_name == "name"
    handle = index.orchestrator("E1_HelloSequence").handle
    assert handle is sys.modules["__app__.E1_HelloSequence"].main  # scriptFile __init__.py


def test_function_app_py_is_imported_from_the_app_folder_only(monkeypatch, tmp_path):
    """loader.py `index_function_app` imports function_app from the app root (first on
    sys.path in the worker). Another function_app earlier on sys.path must not win."""
    decoy = tmp_path / "decoy"
    decoy.mkdir()
    (decoy / "function_app.py").write_text("raise RuntimeError('the decoy was imported')\n")
    monkeypatch.syspath_prepend(str(APPS / "hello_v2"))  # as the server does, for its imports
    monkeypatch.syspath_prepend(str(decoy))  # ...but the decoy comes first
    index = load_app(APPS / "hello_v2")
    assert _functions(index) == [
        ("approval", "orchestrationTrigger"),
        ("hello_sequence", "orchestrationTrigger"),
        ("http_start", "httpTrigger"),
        ("say_hello", "activityTrigger"),
    ]
    assert Path(index.module.__file__) == APPS / "hello_v2" / "function_app.py"


async def test_a_folder_with_no_app_is_a_load_error_naming_what_is_missing(tmp_path):
    with pytest.raises(AppLoadError, match=r"has no function_app\.py and no function\.json"):
        async with running_host(app_dir=tmp_path):
            pass


async def test_an_app_gets_its_own_settings_and_none_of_this_projects(monkeypatch):
    """`func start` puts only the app's local.settings.json Values into the worker's
    environment (azure-functions-core-tools `StartHostAction`, SetupEnvironment)."""
    for name in (FAKE_BILLING_API_ENABLED, INVOICE_API_URL, "GREETING"):
        monkeypatch.delenv(name, raising=False)
    async with running_host(app_dir=APPS / "hello_v1"):
        assert os.environ["GREETING"] == "Hello"  # hello_v1/local.settings.json.example
        assert FAKE_BILLING_API_ENABLED not in os.environ
        assert INVOICE_API_URL not in os.environ
    assert "GREETING" not in os.environ


async def test_activity_and_orchestration_failures_are_logged_like_func_start(caplog, http):
    """The host logs "Executed 'Functions.<name>' (Failed, Id=<guid>, Duration=<n>ms)" with
    the worker's RpcException; the extension logs "<id>: Function '<name> (Orchestrator)'
    failed with an error. Reason: ..." (azure-functions-durable-extension
    EndToEndTraceHelper.FunctionFailed). Both at error level: visible without -v."""
    caplog.set_level(logging.ERROR, logger="devhost.functions")
    async with running_host(app_dir=APPS / "hello_v1") as host:
        async with http.post(host.url("api/orchestrators/Boom")) as response:
            assert response.status == 202
            instance_id = (await response.json())["id"]
        await host.engine.wait(instance_id, timeout=10)
    lines = [r.getMessage() for r in caplog.records if r.name == "devhost.functions"]
    assert len(lines) == 2, lines
    guid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    activity, orchestrator = lines
    assert _matches(
        rf"Executed 'Functions\.Explode' \(Failed, Id={guid}, Duration=\d+ms\)", activity
    )
    assert "\nResult: Failure\nException: ValueError: fuse lit\nStack: " in activity
    assert _matches(
        rf"Executed 'Functions\.Boom' \(Failed, Id={guid}, Duration=\d+ms\)", orchestrator
    )
    assert (
        f"\n{instance_id}: Function 'Boom (Orchestrator)' failed with an error. Reason: "
        "Orchestrator function 'Boom' failed: orchestrator gave up"
    ) in orchestrator


def _matches(pattern: str, text: str) -> bool:
    import re

    return re.match(pattern, text) is not None


def _serve(app_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "devhost", "serve", "--port", "0", "--app-dir", str(app_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("broken", ["host.json", "local.settings.json"])
def test_an_unparseable_settings_file_stops_the_host_with_one_line_naming_it(tmp_path, broken):
    """`func start` refuses to start on a malformed host.json or local.settings.json; devhost
    says which file and where, in one line, with a non-zero exit and no traceback."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "function_app.py").write_text(
        textwrap.dedent("""\
            import azure.functions as func
            app = func.FunctionApp()
            """)
    )
    (app / "host.json").write_text(json.dumps({"version": "2.0"}))
    (app / broken).write_text('{"version": "2.0",')
    result = _serve(app)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"devhost: {app / broken}: not valid JSON (")
    assert "Traceback" not in result.stderr


async def test_an_activity_with_a_binding_devhost_cannot_provide_fails_with_its_name(
    tmp_path, durable_app
):
    """The v1 samples' SendSMSChallenge has a twilioSms output the worker would bind; devhost
    binds only the trigger, so the activity fails naming the binding, not with a TypeError."""
    for folder, meta, code in [
        ("Orch", {"type": "orchestrationTrigger", "name": "context"}, _ORCHESTRATOR),
        ("Send", {"type": "activityTrigger", "name": "to"}, "def main(to, message):\n    pass\n"),
    ]:
        (tmp_path / folder).mkdir()
        bindings = [{**meta, "direction": "in"}]
        if folder == "Send":
            bindings.append({"type": "twilioSms", "name": "message", "direction": "out"})
        (tmp_path / folder / "function.json").write_text(json.dumps({"bindings": bindings}))
        (tmp_path / folder / "__init__.py").write_text(code)
    app = await durable_app(tmp_path)
    status = await app.run("Orch")
    assert status.runtime_status.name == "Failed"
    assert (
        "Activity function 'Send' failed:  RuntimeError: devhost cannot bind message (twilioSms)"
        " of activity 'Send'"
    ) in status.output


_ORCHESTRATOR = """\
import azure.durable_functions as df


def run(context):
    return (yield context.call_activity("Send", "+1"))


main = df.Orchestrator.create(run)
"""
