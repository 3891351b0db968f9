"""Run one activity as the Python worker and the extension do (spec §5).

Input: the extension hands the worker the SDK's JSON text as a string, which
`ActivityTriggerConverter.decode` loads. Output: `encode` gives JSON text, which the host parses
and re-serialises compactly into `TaskCompleted.Result`. Failures become the extension's
`TaskFailed` reason, "Activity function '<name>' failed:  <Type>: <message>".
"""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import Callable
from typing import Any

from azure.functions.durable_functions import ActivityTriggerConverter
from azure.functions.meta import Datum

from devhost.replay import history as h
from devhost.work import invocation_log
from devhost.work.function_index import ActivityEntry, ClientBinding
from devhost.work.invocation_context import InvocationContext

ClientJson = Callable[[ClientBinding], str]  # the `durableClient` value for one binding


def run_activity(
    entry: ActivityEntry,
    input_text: str | None,
    loop: asyncio.AbstractEventLoop,
    client_json: ClientJson | None = None,
) -> tuple[bool, str | None, str | None]:
    """Call the activity; return (succeeded, Result or Reason, Details). Runs in a worker thread.

    An `async def` activity is awaited on `loop`, the engine's event loop. A durable client
    binding gets the same JSON string an HTTP starter's does (`client_json`).
    """
    started = time.perf_counter()
    try:
        if entry.unsupported:  # e.g. the v1 samples' twilioSms output: the worker would bind it
            raise RuntimeError(
                f"devhost cannot bind {', '.join(entry.unsupported)} of activity '{entry.name}'"
            )
        if entry.clients and client_json is None:
            raise RuntimeError(
                f"activity '{entry.name}' has a durable client binding: run it on EmbeddedHost "
                "(devhost serve), which serves the client's API"
            )
        arg = ActivityTriggerConverter.decode(
            Datum(type="string", value=input_text), trigger_metadata={}
        )
        kwargs: dict[str, Any] = {entry.input_name: arg}
        for client in entry.clients:
            kwargs[client.name] = client_json(client)  # type: ignore[misc]
        if entry.wants_context:
            kwargs["context"] = InvocationContext(entry.name, entry.directory)
        value = entry.func(**kwargs)
        if inspect.isawaitable(value):
            value = asyncio.run_coroutine_threadsafe(_awaited(value), loop).result()
        encoded = ActivityTriggerConverter.encode(value, expected_type=None).value
        parsed = json.loads(encoded)
        invocation_log.executed(entry.name, time.perf_counter() - started)
        return True, (None if parsed is None else h.dumps(parsed)), None
    except Exception as exc:
        message, stack = invocation_log.raised(exc)
        invocation_log.function_failed(entry.name, time.perf_counter() - started, message, stack)
        return False, *failure(entry.name, message, stack)


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def timeout_failure(name: str, timeout_s: float) -> tuple[str, str]:
    """Reason and Details of the TaskFailed event for an activity past host.json's
    `functionTimeout`: azure-webjobs-sdk `FunctionExecutor` throws `FunctionTimeoutException`
    ("Timeout value of {0} was exceeded by function: {1}"), and the extension's
    `TaskActivityShim.RunAsync` (`FunctionTimeoutError`) fails the task with its message."""
    message = f"Timeout value of {timespan(timeout_s)} was exceeded by function: Functions.{name}"
    details = h.dumps(
        {
            "$type": "Microsoft.Azure.WebJobs.Host.FunctionTimeoutException, "
            "Microsoft.Azure.WebJobs.Host",
            "ClassName": "Microsoft.Azure.WebJobs.Host.FunctionTimeoutException",
            "Message": message,
        }
    )
    return f"Activity function '{name}' failed: {message}", details


def timespan(seconds: float) -> str:
    """.NET `TimeSpan.ToString()`: `[d.]hh:mm:ss[.fffffff]`."""
    ticks = round(seconds * 10_000_000)
    days, rest = divmod(ticks, 86_400 * 10_000_000)
    hours, rest = divmod(rest, 3_600 * 10_000_000)
    minutes, rest = divmod(rest, 60 * 10_000_000)
    whole, fraction = divmod(rest, 10_000_000)
    text = f"{hours:02d}:{minutes:02d}:{whole:02d}" + (f".{fraction:07d}" if fraction else "")
    return f"{days}.{text}" if days else text


def failure(name: str, message: str, stack: str = "") -> tuple[str, str]:
    """Reason and Details of the TaskFailed event the extension writes for an activity error."""
    reason = f"Activity function '{name}' failed:  {message}"
    rpc = invocation_log.rpc_failure(message, stack)
    details = h.dumps(
        {
            "$type": "System.Exception, System.Private.CoreLib",
            "ClassName": "System.Exception",
            "Message": f" {message}",
            "InnerException": {
                "ClassName": "Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException",
                "Message": rpc,
            },
        }
    )
    return reason, details
