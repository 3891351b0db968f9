"""The work an episode dispatches: activities on a pool of threads, HTTP calls on one session.

`WorkRunner` knows nothing of instances or the engine: it runs a `WorkItem` and hands a
`WorkDone` (the TaskCompleted/TaskFailed event and what the work cost) to the callback it was
given, on the event loop. Timers and sub-orchestrations are not work: the driver handles them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

from devhost.replay import history as h
from devhost.work.activities import ClientJson, run_activity, timeout_failure, timespan
from devhost.work.background import BackgroundTasks
from devhost.work.function_index import ActivityEntry
from devhost.work.http_activity import call_http, client_session
from devhost.work.workers import ActivityPool, Job

if TYPE_CHECKING:
    from devhost.replay.shim import Decision

log = logging.getLogger("devhost")


@dataclass(frozen=True, slots=True)
class WorkItem:
    """An activity (or BuiltIn::HttpActivity call) scheduled as task `task_id` of an execution."""

    instance_id: str
    execution_id: str
    task_id: int
    name: str
    input_text: str | None = None
    http_request: dict[str, Any] | None = None
    owner: Any = None  # the caller's handle for the result, handed back untouched

    @classmethod
    def for_decision(
        cls, instance_id: str, execution_id: str, decision: Decision, owner: Any
    ) -> WorkItem:
        """The work an episode's activity or HTTP decision asks for, as task `decision.id`."""
        return cls(
            instance_id,
            execution_id,
            decision.id,
            decision.name or "",
            decision.input,
            decision.http_request,
            owner=owner,
        )


@dataclass(frozen=True, slots=True)
class WorkDone:
    """A finished work item: its history event and the seconds it adds to the counters."""

    item: WorkItem
    event: h.Event
    activity_seconds: float = 0.0
    http_seconds: float = 0.0  # time at least one HTTP call of the instance was in flight


@dataclass(frozen=True)
class WorkSettings:
    """The work knobs of `EngineSettings`, which holds their defaults."""

    activity_concurrency: int
    http_timeout_s: float
    http_connection_limit: int
    function_timeout_s: float | None = None  # host.json functionTimeout; None: no limit
    client_json: ClientJson | None = None  # what a durable client binding of an activity gets


class WorkRunner:
    """Runs work items; owns the activity threads and the HTTP session. close() is idempotent."""

    def __init__(
        self,
        activity: Callable[[str], ActivityEntry | None],
        settings: WorkSettings,
        timestamp: Callable[[], str],
        on_done: Callable[[WorkDone], None],
    ) -> None:
        self._activity = activity
        self._settings = settings
        self._timestamp = timestamp
        self._on_done = on_done
        self._pool: ActivityPool | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks = BackgroundTasks()  # HTTP calls, and the deadline watchdog
        # instance id -> [HTTP calls in flight, when the first of them started]
        self._http_busy: dict[str, list[float]] = {}
        timeout = settings.function_timeout_s
        self._deadlines = None if timeout is None else _Deadlines(timeout)

    def start(self, item: WorkItem) -> None:
        if item.http_request is not None:
            self._tasks.spawn(self._http_call(item))
            return
        loop = asyncio.get_running_loop()
        if self._pool is None:
            self._pool = ActivityPool(self._settings.activity_concurrency, loop)
            if self._deadlines is not None:
                self._tasks.spawn(self._deadlines.watch())
        self._pool.submit(self._activity_job(item, loop))

    async def close(self) -> None:
        await self._tasks.cancel_all()
        if self._pool is not None:
            self._pool.close()
        if self._session is not None:
            await self._session.close()

    def _activity_job(self, item: WorkItem, loop: asyncio.AbstractEventLoop) -> Job:
        """The pool runs the activity in a thread; the callback it returns runs on the loop.

        Past `function_timeout_s` the task fails as the host fails it, and whatever the
        activity returns later is dropped (see `_TimeLimit`).
        """
        entry = self._activity(item.name)
        limit = _TimeLimit(self._on_done)

        def job() -> Callable[[], None]:
            if entry is not None and self._deadlines is not None:
                self._deadlines.add(limit, lambda: self._timed_out(item, entry.name))
            started = time.perf_counter()
            if entry is None:  # unregistered since it was scheduled (e.g. resumed on a new app)
                ok, text, details = False, f"The function '{item.name}' doesn't exist.", None
            else:
                ok, text, details = run_activity(
                    entry, item.input_text, loop, self._settings.client_json
                )
            elapsed = time.perf_counter() - started
            event = _task_result(self._timestamp(), item.task_id, ok, text, details)
            done = WorkDone(item, event, activity_seconds=elapsed)
            return lambda: limit.settle(done)

        return job

    def _timed_out(self, item: WorkItem, name: str) -> WorkDone:
        """What an activity past `function_timeout_s` reports (built only when that happens)."""
        timeout_s = self._settings.function_timeout_s or 0.0
        log.error(
            "Timeout value of %s was exceeded by function: Functions.%s; devhost fails the task "
            "and drops the activity's result (the host would restart the worker)",
            timespan(timeout_s),
            name,
        )
        reason, details = timeout_failure(name, timeout_s)
        failed = _task_result(self._timestamp(), item.task_id, False, reason, details)
        return WorkDone(item, failed, activity_seconds=timeout_s)

    async def _http_call(self, item: WorkItem) -> None:
        assert item.http_request is not None
        if self._session is None:
            self._session = client_session(self._settings.http_connection_limit)
        # http_seconds is the union of the intervals: summing concurrent calls would count
        # connector queueing N times.
        busy = self._http_busy.setdefault(item.instance_id, [0, 0.0])
        if busy[0] == 0:
            busy[1] = time.perf_counter()
        busy[0] += 1
        busy_seconds = 0.0
        try:
            ok, text, details = await call_http(
                self._session, item.http_request, self._settings.http_timeout_s
            )
        finally:
            busy[0] -= 1
            if busy[0] == 0:
                busy_seconds = time.perf_counter() - busy[1]
                del self._http_busy[item.instance_id]
        event = _task_result(self._timestamp(), item.task_id, ok, text, details)
        self._on_done(WorkDone(item, event, http_seconds=busy_seconds))


class _TimeLimit:
    """host.json `functionTimeout` for one activity run: the first of its result and its
    deadline settles the task, on the loop. The host then restarts the worker process
    (azure-functions-host `WebScriptHostExceptionHandler.OnTimeoutExceptionAsync`); devhost
    cannot stop a Python thread, so the activity runs on and its result is dropped."""

    def __init__(self, on_done: Callable[[WorkDone], None]):
        self._on_done = on_done
        self.settled = False

    def settle(self, done: WorkDone) -> None:
        if not self.settled:
            self.settled = True
            self._on_done(done)


class _Deadlines:
    """One watchdog on the loop for every running activity's deadline, instead of a timer and
    a cross-thread wake-up per activity (a fan-out of 1,000 paid 0.1 s for those)."""

    def __init__(self, timeout_s: float) -> None:
        self._timeout_s = timeout_s
        self._interval_s = min(1.0, timeout_s / 4)  # a deadline is seen at most this late
        self._running: dict[_TimeLimit, tuple[float, Callable[[], WorkDone]]] = {}

    def add(self, limit: _TimeLimit, failed: Callable[[], WorkDone]) -> None:
        """From the activity's thread, as it starts (one dict store: atomic under the GIL)."""
        self._running[limit] = (time.monotonic() + self._timeout_s, failed)

    async def watch(self) -> None:
        """On the loop until cancelled: fail each activity past its deadline, forget the
        settled ones."""
        while True:
            await asyncio.sleep(self._interval_s)
            now = time.monotonic()
            for limit, (deadline, failed) in list(self._running.items()):
                if limit.settled:
                    del self._running[limit]
                elif now >= deadline:
                    del self._running[limit]
                    limit.settle(failed())


def _task_result(ts: str, task_id: int, ok: bool, text: str | None, details: str | None) -> h.Event:
    """TaskCompleted with the result, or TaskFailed with the reason and details."""
    return h.task_completed(ts, task_id, text) if ok else h.task_failed(ts, task_id, text, details)
