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
from typing import Any

from azure.functions.durable_functions import ActivityTriggerConverter
from azure.functions.meta import Datum

from devhost.replay import history as h
from devhost.work import invocation_log
from devhost.work.function_index import ActivityEntry


def run_activity(
    entry: ActivityEntry, input_text: str | None, loop: asyncio.AbstractEventLoop
) -> tuple[bool, str | None, str | None]:
    """Call the activity; return (succeeded, Result or Reason, Details). Runs in a worker thread.

    An `async def` activity is awaited on `loop`, the engine's event loop.
    """
    started = time.perf_counter()
    try:
        if entry.unsupported:  # e.g. the v1 samples' twilioSms output: the worker would bind it
            raise RuntimeError(
                f"devhost cannot bind {', '.join(entry.unsupported)} of activity '{entry.name}'"
            )
        arg = ActivityTriggerConverter.decode(
            Datum(type="string", value=input_text), trigger_metadata={}
        )
        value = entry.func(**{entry.input_name: arg})
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
