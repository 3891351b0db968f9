"""DTFx's RetryInterceptor (call_activity_with_retry, call_sub_orchestrator_with_retry).

Each attempt and each back-off timer is a DTFx operation that takes the next sequence id, so the
ids in the history depend on exactly this order: attempt, timer, attempt, ..., then one
"dummy timer for back-compat" at the current time before the last failure is rethrown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from devhost.replay.futures import Future


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
