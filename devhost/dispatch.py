"""Carrying out an episode's decisions: start the work, and deliver its result as a message.

Activities run on a fixed pool of threads, BuiltIn::HttpActivity calls on one aiohttp session,
timers on the engine's clock, sub-orchestrations as child instances. When an instance ends its
waiters wake and its parent gets the sub-orchestration's result. Every result reaches its
instance through `DurableEngine.deliver`, which decides when the next episode runs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

import aiohttp

from . import history as h
from .activities import run_activity
from .dtfx import Decision
from .http_activity import call_http
from .instance import Instance, Message, ParentLink
from .workers import ActivityPool, Job

if TYPE_CHECKING:
    from .engine import DurableEngine

log = logging.getLogger("devhost")


class Dispatcher:
    """Starts what episodes decide; owns the activity threads and the HTTP session."""

    def __init__(self, engine: DurableEngine) -> None:
        self.engine = engine
        self._activity_pool: ActivityPool | None = None
        self._session: aiohttp.ClientSession | None = None

    def dispatch(self, inst: Instance, decisions: list[Decision]) -> None:
        """Start the decisions of an episode that left the instance running."""
        loop = asyncio.get_running_loop()
        for decision in decisions:
            if decision.kind == "timer":
                self._start_timer(inst, decision)
            elif decision.kind == "suborch":
                self._start_child(inst, decision)
            elif decision.http_request is not None:
                self._start_http(inst, decision.id, decision.http_request)
            else:
                self._start_activity(inst, decision, loop)

    def finish(self, inst: Instance) -> None:
        """The instance reached a terminal state: wake waiters, notify the parent."""
        inst.finished_at = time.perf_counter()
        for fut in inst.waiters:
            if not fut.done():
                fut.set_result(None)
        inst.waiters.clear()
        parent = inst.parent
        if parent is None or inst.status not in (h.COMPLETED, h.FAILED):
            return
        target = self.engine.instances.get(parent.instance_id)
        if target is None:
            return
        ts = self.engine.timestamp()
        if inst.status == h.COMPLETED:
            event = h.sub_orch_completed(ts, parent.task_id, inst.output_text)
        else:
            event = h.sub_orch_failed(ts, parent.task_id, inst.output_text, inst.failure_details)
        self.engine.deliver(target, Message(event, parent.execution_id))

    async def close(self) -> None:
        if self._activity_pool is not None:
            self._activity_pool.close()
        if self._session is not None:
            await self._session.close()

    # -- activities and HTTP calls: counted in `inflight` until their result is delivered -----
    def _start_activity(
        self, inst: Instance, decision: Decision, loop: asyncio.AbstractEventLoop
    ) -> None:
        job = self._activity_job(inst, decision, loop)
        if self._activity_pool is None:
            self._activity_pool = ActivityPool(self.engine.settings.activity_concurrency, loop)
        inst.inflight += 1
        self._activity_pool.submit(job)

    def _activity_job(
        self, inst: Instance, decision: Decision, loop: asyncio.AbstractEventLoop
    ) -> Job:
        """The pool runs the activity in a thread; the callback it returns runs on the loop."""
        engine = self.engine
        entry = engine.index.activity(decision.name)
        execution_id, task_id, input_text = inst.execution_id, decision.id, decision.input

        def job() -> Any:
            started = time.perf_counter()
            ok, text, details = run_activity(entry, input_text, loop)
            elapsed = time.perf_counter() - started
            event = _task_result(engine.timestamp(), task_id, ok, text, details)

            def done() -> None:  # back on the event loop
                inst.counters.activities_run += 1
                inst.counters.activity_seconds += elapsed
                self._report(inst, event, execution_id)

            return done

        return job

    def _start_http(self, inst: Instance, task_id: int, request: dict[str, Any]) -> None:
        inst.inflight += 1
        self.engine.spawn(self._http_call(inst, inst.execution_id, task_id, request))

    async def _http_call(
        self, inst: Instance, execution_id: str, task_id: int, request: dict[str, Any]
    ) -> None:
        settings = self.engine.settings
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=settings.http_connection_limit)
            self._session = aiohttp.ClientSession(connector=connector)
        # http_seconds is the time at least one call of the instance was in flight (the union
        # of the intervals): summing concurrent calls would count connector queueing N times.
        if inst.http_active == 0:
            inst.http_busy_since = time.perf_counter()
        inst.http_active += 1
        try:
            ok, text, details = await call_http(self._session, request, settings.http_timeout_s)
        finally:
            inst.http_active -= 1
            if inst.http_active == 0:
                inst.counters.http_seconds += time.perf_counter() - inst.http_busy_since
        inst.counters.http_calls += 1
        event = _task_result(self.engine.timestamp(), task_id, ok, text, details)
        self._report(inst, event, execution_id)

    def _report(self, inst: Instance, event: h.Event, execution_id: str) -> None:
        """Called on the loop when an activity or HTTP call finished."""
        inst.inflight -= 1
        self.engine.deliver(inst, Message(event, execution_id))
        if not inst.inflight:
            self.engine.kick(inst)

    # -- timers and sub-orchestrations --------------------------------------------------------
    def _start_timer(self, inst: Instance, decision: Decision) -> None:
        engine = self.engine
        execution_id, task_id = inst.execution_id, decision.id
        fire_at_text = h.net_timestamp(decision.fire_at)

        def fire() -> None:
            fired = h.timer_fired(engine.timestamp(), task_id, fire_at_text)
            engine.deliver(inst, Message(fired, execution_id))

        engine.clock.call_at(decision.fire_at, fire)

    def _start_child(self, inst: Instance, decision: Decision) -> None:
        link = ParentLink(inst.id, inst.execution_id, decision.id)
        old = self.engine.instances.get(decision.instance_id)
        if old is not None and not old.terminal:
            log.warning("devhost: sub-orchestration id %s replaces a running instance", old.id)
        self.engine.create_instance(
            decision.instance_id, decision.name, h.dumps(decision.input), link
        )


def _task_result(ts: str, task_id: int, ok: bool, text: str | None, details: str | None) -> h.Event:
    """TaskCompleted with the result, or TaskFailed with the reason and details."""
    return h.task_completed(ts, task_id, text) if ok else h.task_failed(ts, task_id, text, details)
