"""DTFx's RetryInterceptor (call_activity_with_retry, call_sub_orchestrator_with_retry).

Each attempt and each back-off timer is a DTFx operation that takes the next sequence id, so the
ids in the history depend on exactly this order: attempt, timer, attempt, ..., then one
"dummy timer for back-compat" at the current time before the last failure is rethrown.
Two edges leave the instance waiting forever, as on Azure (`waits_forever` says why): options
the extension refuses before scheduling, and attempts that are zero or fewer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from devhost.replay.futures import Future

# AzureStorageDurabilityProvider.MaximumDelayTime: the longest timer or retry interval.
MAX_DELAY = timedelta(days=6)


def refusal(options: dict[str, Any]) -> str | None:
    """The ArgumentException `CallDurableTaskFunctionAsync` throws for these options, or None.

    Azure/azure-functions-durable-extension, ContextImplementations/DurableOrchestrationContext.cs:
    `ValidateDelayTime(retryOptions.MaxRetryInterval)` (default 6 days, RetryOptions.cs), then
    `ValidateDelayTime(retryOptions.FirstRetryInterval)`; AzureStorageDurabilityProvider refuses
    more than `MaximumDelayTime`. The call faults before ScheduleWithRetry takes an id.
    """
    for parameter, key in (
        ("MaxRetryInterval", "maxRetryIntervalInMilliseconds"),
        ("FirstRetryInterval", "firstRetryIntervalInMilliseconds"),
    ):
        value = options.get(key)
        if value is not None and timedelta(milliseconds=float(value)) > MAX_DELAY:
            days = f"{MAX_DELAY.total_seconds() / 86400:g}"
            return (
                f"The Azure Storage provider supports a maximum of {days} days for time-based "
                f"delays (Parameter '{parameter}')"
            )
    return None


def waits_forever(options: dict[str, Any]) -> str | None:
    """Why a call with these options never reaches the orchestrator, or None.

    A refused call faults in the extension and `ProcessAsyncActionsV2` swallows the exception
    (OutOfProcOrchestrationShim.cs); with `maxNumberOfAttempts` <= 0 DTFx's
    `RetryInterceptor.Invoke` loop runs zero times and returns default without scheduling.
    Either way no event reaches the SDK, which waits for the call's result forever.
    """
    refused = refusal(options)
    if refused is not None:
        return f"the Durable extension refuses its retry options: {refused}"
    attempts = int(options["maxNumberOfAttempts"])
    if attempts <= 0:
        return (
            f"its retry options allow {attempts} attempts, so DTFx's RetryInterceptor "
            "schedules nothing"
        )
    return None


def retry(
    options: dict[str, Any],
    call: Callable[[], Future],
    now: Callable[[], datetime],
    create_timer: Callable[[datetime], Future],
) -> Future:
    """Run `call` under the SDK's retryOptions; `now` is the orchestration's replay time."""
    result = Future()
    first_ms = float(options["firstRetryIntervalInMilliseconds"])
    attempts = int(options["maxNumberOfAttempts"])
    backoff = float(options.get("backoffCoefficient") or 1.0)
    max_ms = options.get("maxRetryIntervalInMilliseconds")
    timeout_ms = options.get("retryTimeoutInMilliseconds")
    first_attempt = now()
    count = [0]
    if attempts <= 0:  # RetryInterceptor.Invoke: no iteration, `return default`
        result.resolve(None)
        return result

    def attempt() -> None:
        call().on_done(after)

    def after(fut: Future) -> None:
        if not fut.failed:
            result.resolve(fut.value)
            return
        k = count[0]
        if k + 1 < attempts:
            delay = first_ms * backoff**k
            if max_ms is not None:
                delay = min(delay, float(max_ms))
            expired = timeout_ms is not None and now() >= first_attempt + timedelta(
                milliseconds=float(timeout_ms)
            )
            if delay > 0 and not expired:
                count[0] += 1
                create_timer(now() + timedelta(milliseconds=delay)).on_done(lambda _t: attempt())
                return
        # "Dummy timer for back-compat" at CurrentUtcDateTime, then rethrow.
        create_timer(now()).on_done(lambda _t: result.resolve(fut.value, True))

    attempt()
    return result
