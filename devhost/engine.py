"""DurableEngine: the replay driver of spec §9, standing in for the Durable extension + DTFx.

Every episode feeds the SDK's own orchestrator handle the whole history (in a worker thread),
then replays its actions through the DTFx/shim emulation in `dtfx.py`, appends the decisions
and carries them out: activities in a thread pool, durable HTTP with aiohttp, timers on the
clock, sub-orchestrations as child instances.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import aiohttp

from . import history as h
from .clock import Clock, RealClock
from .counters import InstanceCounters
from .episode import run_episode
from .function_index import FunctionIndex, UnknownFunctionError
from .http_activity import call_http
from .instance import Instance, Message
from .status import status_json
from .workers import ActivityPool

log = logging.getLogger("devhost")


class UnknownOrchestratorError(UnknownFunctionError):
    """start_new named an orchestrator the app does not register."""


class InstanceNotFoundError(LookupError):
    pass


class InstanceGoneError(RuntimeError):
    """The instance already finished (the HTTP API answers 410)."""


class InstanceExistsError(ValueError):
    pass


@dataclass
class EngineSettings:
    """Delivery and concurrency knobs; the defaults mimic a single local host."""

    batching: Literal["all", "one"] = "all"
    dispatch_delay_s: float = 0.0
    activity_concurrency: int = 8
    orchestrator_threads: int = 4
    http_timeout_s: float = 240.0
    http_connection_limit: int = 100
    clock: Clock = field(default_factory=RealClock)


class DurableEngine:
    """In-memory Durable Functions host for one app; use as `async with DurableEngine(...)`."""

    def __init__(self, index: FunctionIndex, settings: EngineSettings | None = None) -> None:
        self.index = index
        self.settings = settings or EngineSettings()
        self.clock = self.settings.clock
        self.instances: dict[str, Instance] = {}
        self.orchestrator_pool = ThreadPoolExecutor(
            self.settings.orchestrator_threads, thread_name_prefix="devhost-orchestrator"
        )
        self._activity_pool: ActivityPool | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    async def __aenter__(self) -> DurableEngine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- client API -------------------------------------------------------------------------
    async def start_new(
        self, name: str, instance_id: str | None = None, input_json: str | None = None
    ) -> str:
        """Start an orchestration; `input_json` is the body the SDK client POSTs."""
        if not self.index.has_orchestrator(name):
            raise UnknownOrchestratorError(str(_unknown(self.index, name)))
        instance_id = _checked_id(instance_id)
        old = self.instances.get(instance_id)
        if old is not None and not old.terminal:
            raise InstanceExistsError(
                f"An Orchestration instance with the ID '{instance_id}' already exists."
            )
        input_text = _reserialize(input_json)
        self._create(instance_id, name, input_text, parent=None)
        return instance_id

    def status(
        self,
        instance_id: str,
        *,
        show_history: bool = False,
        show_history_output: bool = False,
        show_input: bool = True,
    ) -> dict[str, Any] | None:
        inst = self.instances.get(instance_id)
        if inst is None:
            return None
        return status_json(
            inst,
            show_history=show_history,
            show_history_output=show_history_output,
            show_input=show_input,
        )

    def list_statuses(
        self,
        *,
        runtime_statuses: list[str] | None = None,
        show_input: bool = False,
    ) -> list[dict[str, Any]]:
        wanted = {s.lower() for s in runtime_statuses} if runtime_statuses else None
        out = []
        for inst in self.instances.values():
            if wanted is None or h.STATUS_NAMES[inst.status].lower() in wanted:
                out.append(
                    status_json(
                        inst, show_history=False, show_history_output=False, show_input=show_input
                    )
                )
        return out

    async def raise_event(self, instance_id: str, name: str, data_json: str | None) -> None:
        """Queue an EventRaised; `data_json` is the request body (the SDK double-encodes it)."""
        inst = self._running_instance(instance_id, f"raise event {name} for")
        ev = h.event_raised(self._ts(), name, _reserialize(data_json))
        self._deliver(inst, Message(ev))

    async def terminate(self, instance_id: str, reason: str | None) -> None:
        inst = self._running_instance(instance_id, "terminate")
        inst.terminate_requested = True
        self._deliver(inst, Message(h.execution_terminated(self._ts(), reason)))

    def purge(self, instance_id: str) -> int:
        return 1 if self.instances.pop(instance_id, None) is not None else 0

    async def wait(self, instance_id: str, timeout: float | None = None) -> dict[str, Any]:
        """Wait until the instance is Completed, Failed or Terminated; return its status."""
        inst = self.instances.get(instance_id)
        if inst is None:
            raise InstanceNotFoundError(instance_id)
        if not inst.terminal:
            fut = asyncio.get_running_loop().create_future()
            inst.waiters.append(fut)
            await asyncio.wait_for(fut, timeout)
        return self.status(instance_id) or {}

    async def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait until nothing is running or deliverable (a test helper; timers may be pending)."""
        deadline = time.perf_counter() + timeout
        quiet = 0
        while quiet < 3:
            await asyncio.sleep(0.001 if quiet == 0 else 0)
            busy = any(i.running or i.inflight or self._ready(i) for i in self.instances.values())
            quiet = 0 if busy else quiet + 1
            if time.perf_counter() > deadline:
                raise TimeoutError("devhost engine did not become idle")

    def counters(self, instance_id: str) -> InstanceCounters:
        inst = self.instances.get(instance_id)
        if inst is None:
            raise InstanceNotFoundError(instance_id)
        return inst.live_counters()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._activity_pool is not None:
            self._activity_pool.close()
        if self._session is not None:
            await self._session.close()
        self.orchestrator_pool.shutdown(wait=False, cancel_futures=True)

    # -- instances and messages -------------------------------------------------------------
    def _ts(self) -> str:
        return h.net_timestamp(self.clock.now())

    def _running_instance(self, instance_id: str, verb: str) -> Instance:
        inst = self.instances.get(instance_id)
        if inst is None:
            raise InstanceNotFoundError(f"No instance with ID '{instance_id}' was found.")
        if inst.terminal:
            raise InstanceGoneError(
                f"Cannot {verb} orchestration instance {instance_id} because instance is in "
                f"{h.STATUS_NAMES[inst.status]} state"
            )
        return inst

    def _create(self, instance_id: str, name: str, input_text: str | None, parent: Any) -> Instance:
        inst = Instance(instance_id, name, self.clock.now())
        inst.input_text = input_text
        inst.parent = parent
        parent_json = None
        if parent is not None:
            parent_inst = self.instances[parent.instance_id]
            parent_json = {
                "Name": parent_inst.name,
                "Version": "",
                "OrchestrationInstance": {
                    "InstanceId": parent.instance_id,
                    "ExecutionId": parent.execution_id,
                },
                "TaskScheduleId": parent.task_id,
            }
        es = h.execution_started(
            self._ts(), instance_id, inst.execution_id, name, input_text, parent_json
        )
        self.instances[instance_id] = inst
        self._deliver(inst, Message(es, inst.execution_id))
        return inst

    def _deliver(self, inst: Instance, message: Message) -> None:
        """Put a message in the inbox (dropped if the instance or its execution is gone)."""
        if inst.terminal or self.instances.get(inst.id) is not inst:
            return
        if message.execution_id is not None and message.execution_id != inst.execution_id:
            return
        inst.inbox.append(message)
        self._kick(inst)

    def _ready(self, inst: Instance) -> bool:
        if not inst.inbox or inst.terminal:
            return False
        if self.settings.batching == "one" or inst.inflight == 0:
            return True
        # Batching "all": wait until every running activity/HTTP call of the instance has
        # reported, so completions that are ready together arrive in one episode. A terminate
        # does not wait.
        return inst.terminate_requested

    def _kick(self, inst: Instance) -> None:
        if inst.running or self._closed or not self._ready(inst):
            return
        inst.running = True
        self._spawn(self._drive(inst))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drive(self, inst: Instance) -> None:
        """Run episodes for the instance while messages are ready."""
        try:
            while self._ready(inst):
                if self.settings.dispatch_delay_s > 0:
                    await asyncio.sleep(self.settings.dispatch_delay_s)
                if not self._ready(inst):
                    break
                if self.settings.batching == "one":
                    batch = [inst.inbox.popleft()]
                else:
                    batch = list(inst.inbox)
                    inst.inbox.clear()
                await run_episode(self, inst, [m.event for m in batch])
                while inst.fresh_generation and not self._closed:
                    inst.fresh_generation = False
                    await run_episode(self, inst, None)
        except Exception:
            log.exception("devhost: episode of %s (%s) crashed", inst.name, inst.id)
            raise
        finally:
            inst.running = False
        if inst.terminal:
            inst.inbox.clear()
        else:
            self._kick(inst)

    # -- carrying out decisions (called by episode.py) --------------------------------------
    def run_activity_job(self, inst: Instance, job: Any) -> None:
        if self._activity_pool is None:
            self._activity_pool = ActivityPool(
                self.settings.activity_concurrency, asyncio.get_running_loop()
            )
        inst.inflight += 1
        self._activity_pool.submit(job)

    def report_work(self, inst: Instance, event: h.Event, execution_id: str) -> None:
        """Called on the loop when an activity or HTTP call finished."""
        inst.inflight -= 1
        self._deliver(inst, Message(event, execution_id))
        if not inst.inflight:
            self._kick(inst)

    def start_http(self, inst: Instance, task_id: int, request: dict[str, Any]) -> None:
        inst.inflight += 1
        self._spawn(self._http(inst, inst.execution_id, task_id, request))

    async def _http(
        self, inst: Instance, execution_id: str, task_id: int, request: dict[str, Any]
    ) -> None:
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self.settings.http_connection_limit)
            self._session = aiohttp.ClientSession(connector=connector)
        # http_seconds is the time at least one call of the instance was in flight (the union
        # of the intervals): summing concurrent calls would count connector queueing N times.
        if inst.http_active == 0:
            inst.http_busy_since = time.perf_counter()
        inst.http_active += 1
        try:
            ok, text, details = await call_http(
                self._session, request, self.settings.http_timeout_s
            )
        finally:
            inst.http_active -= 1
            if inst.http_active == 0:
                inst.counters.http_seconds += time.perf_counter() - inst.http_busy_since
        inst.counters.http_calls += 1
        ts = self._ts()
        event = (
            h.task_completed(ts, task_id, text) if ok else h.task_failed(ts, task_id, text, details)
        )
        self.report_work(inst, event, execution_id)

    def start_timer(self, inst: Instance, task_id: int, fire_at: Any, fire_at_text: str) -> None:
        execution_id = inst.execution_id

        def fire() -> None:
            self._deliver(
                inst, Message(h.timer_fired(self._ts(), task_id, fire_at_text), execution_id)
            )

        self.clock.call_at(fire_at, fire)

    def start_child(self, inst: Instance, decision: Any, parent_link: Any) -> None:
        old = self.instances.get(decision.instance_id)
        if old is not None and not old.terminal:
            log.warning("devhost: sub-orchestration id %s replaces a running instance", old.id)
        self._create(decision.instance_id, decision.name, h.dumps(decision.input), parent_link)

    def finished(self, inst: Instance) -> None:
        """The instance reached a terminal state: wake waiters, notify the parent."""
        inst.finished_at = time.perf_counter()
        for fut in inst.waiters:
            if not fut.done():
                fut.set_result(None)
        inst.waiters.clear()
        parent = inst.parent
        if parent is None or inst.status not in (h.COMPLETED, h.FAILED):
            return
        target = self.instances.get(parent.instance_id)
        if target is None:
            return
        ts = self._ts()
        if inst.status == h.COMPLETED:
            event = h.sub_orch_completed(ts, parent.task_id, inst.output_text)
        else:
            event = h.sub_orch_failed(ts, parent.task_id, inst.output_text, inst.failure_details)
        self._deliver(target, Message(event, parent.execution_id))


def _reserialize(body: str | None) -> str | None:
    """What the extension stores for a request body: the JSON token, re-serialised compactly."""
    if body is None or not body.strip():
        return None
    return h.dumps(json.loads(body))


def _checked_id(instance_id: str | None) -> str:
    if not instance_id:
        return h.new_guid()
    if instance_id.startswith("@"):
        raise ValueError("Orchestration instance ids must not start with @.")
    if any(c in "/\\?#" or ord(c) < 32 or 127 <= ord(c) < 160 for c in instance_id):
        raise ValueError(
            "Orchestration instance ids must not contain /, \\, #, ?, or control characters."
        )
    if len(instance_id) > 256:
        raise ValueError("Instance ID lengths must not exceed 256 characters.")
    return instance_id


def _unknown(index: FunctionIndex, name: str) -> Exception:
    try:
        index.orchestrator(name)
    except UnknownFunctionError as exc:
        return exc
    return UnknownFunctionError(name)
