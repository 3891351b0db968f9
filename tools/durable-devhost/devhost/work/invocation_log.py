"""The console lines `func start` prints when a function invocation ends.

The Functions host logs every invocation as "Executed 'Functions.<name>' (Succeeded|Failed,
Id=<invocation id>, Duration=<n>ms)" (azure-functions-host `FunctionExecutor`/`FunctionsLogger`),
and for a failure the worker's RpcException ("Result: Failure / Exception: ... / Stack: ...").
For orchestrators the Durable extension adds "<instanceId>: Function '<name> (Orchestrator)'
failed with an error. Reason: <reason>" (azure-functions-durable-extension
`EndToEndTraceHelper.FunctionFailed`). Failures go to the console at ERROR level, so they show
without `-v`; successes are DEBUG (`-v`), as they would flood a fan-out of thousands.
"""

from __future__ import annotations

import logging
import traceback
import uuid

log = logging.getLogger("devhost.functions")


def executed(name: str, seconds: float) -> None:
    """A successful invocation (shown with `-v`)."""
    if log.isEnabledFor(logging.DEBUG):
        log.debug(_line(name, "Succeeded", seconds))


def raised(exc: BaseException) -> tuple[str, str]:
    """The worker's (message, stack) for an exception a function raised."""
    message = f"{type(exc).__name__}: {exc}"
    return message, "".join(traceback.format_exception(exc)[1:-1]).rstrip()


def rpc_failure(message: str, stack: str) -> str:
    """The worker's RpcException text, as the host logs it and the extension wraps it."""
    return f"Result: Failure\nException: {message}\nStack: {stack}"


def function_failed(name: str, seconds: float, message: str, stack: str = "") -> None:
    """An activity or HTTP-triggered function raised: the host's line and the worker's text."""
    log.error("%s\n%s", _line(name, "Failed", seconds), rpc_failure(message, stack))


def orchestrator_failed(name: str, seconds: float, instance_id: str, reason: str) -> None:
    """An orchestration failed: the host's line and the extension's FunctionFailed trace."""
    log.error(
        "%s\n%s: Function '%s (Orchestrator)' failed with an error. Reason: %s",
        _line(name, "Failed", seconds),
        instance_id,
        name,
        reason,
    )


def _line(name: str, outcome: str, seconds: float) -> str:
    return (
        f"Executed 'Functions.{name}' ({outcome}, Id={uuid.uuid4()}, "
        f"Duration={round(seconds * 1000)}ms)"
    )
