"""The work an episode dispatches: activities on a pool of threads, HTTP calls on one session.

`WorkRunner` knows nothing of instances or the engine: it runs a `WorkItem` and hands a
`WorkDone` (the TaskCompleted/TaskFailed event and what the work cost) to the callback it was
given, on the event loop. Timers and sub-orchestrations are not work: the driver handles them.
"""

from __future__ import annotations

import asyncio
import contextlib
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
        self._http_tasks = BackgroundTasks()
        # instance id -> [HTTP calls in flight, when the first of them started]
        self._http_busy: dict[str, list[float]] = {}

    def start(self, item: WorkItem) -> None:
        if item.http_request is not None:
            self._http_tasks.spawn(self._http_call(item))
            return
        loop = asyncio.get_running_loop()
        if self._pool is None:
            self._pool = ActivityPool(self._settings.activity_concurrency, loop)
        self._pool.submit(self._activity_job(item, loop))

    async def close(self) -> None:
        await self._http_tasks.cancel_all()
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
        limit = _TimeLimit(self._on_done, loop)

        def job() -> Callable[[], None]:
            timeout = self._settings.function_timeout_s
            if entry is not None and timeout is not None:
                reason, details = timeout_failure(entry.name, timeout)
                failed = _task_result(self._timestamp(), item.task_id, False, reason, details)
                limit.start(timeout, WorkDone(item, failed, activity_seconds=timeout), entry.name)
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

    def __init__(self, on_done: Callable[[WorkDone], None], loop: asyncio.AbstractEventLoop):
        self._on_done = on_done
        self._loop = loop
        self._settled = False
        self._timer: asyncio.TimerHandle | None = None

    def start(self, timeout_s: float, failed: WorkDone, name: str) -> None:
        """From the activity's thread, as it starts: arm the deadline on the loop."""

        def expire() -> None:
            log.error(
                "Timeout value of %s was exceeded by function: Functions.%s; devhost fails the "
                "task and drops the activity's result (the host would restart the worker)",
                timespan(timeout_s),
                name,
            )
            self.settle(failed)

        def arm() -> None:
            if not self._settled:
                self._timer = self._loop.call_later(timeout_s, expire)

        with contextlib.suppress(RuntimeError):  # the loop is closed: nothing left to fail
            self._loop.call_soon_threadsafe(arm)

    def settle(self, done: WorkDone) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if not self._settled:
            self._settled = True
            self._on_done(done)


def _task_result(ts: str, task_id: int, ok: bool, text: str | None, details: str | None) -> h.Event:
    """TaskCompleted with the result, or TaskFailed with the reason and details."""
    return h.task_completed(ts, task_id, text) if ok else h.task_failed(ts, task_id, text, details)
