"""DurableEngine: the replay driver of spec §9, standing in for the Durable extension + DTFx.

This module holds the client API and the instance table, and delivers messages to inboxes,
batching them into episodes. An episode (`episode.py`) feeds the SDK's own orchestrator handle
the whole history in a worker thread, replays its actions through the DTFx/shim emulation in
`dtfx.py` and appends the decisions; `dispatch.py` carries them out, and their results come
back here as messages.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from . import history as h
from .clock import Clock, RealClock
from .counters import InstanceCounters
from .dispatch import Dispatcher
from .episode import run_episode
from .function_index import FunctionIndex, UnknownFunctionError
from .instance import Instance, Message, ParentLink
from .status import status_json

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
    # The whole cost of one episode, as a storage backend's would be (queue polling, loading
    # history, replay): an episode whose own replay took less is held until this much has passed.
    episode_cost_s: float = 0.0
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
        self.dispatcher = Dispatcher(self)
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
            raise UnknownOrchestratorError(self.index.unknown_orchestrator_message(name))
        instance_id = _checked_id(instance_id)
        old = self.instances.get(instance_id)
        if old is not None and not old.terminal:
            raise InstanceExistsError(
                f"An Orchestration instance with the ID '{instance_id}' already exists."
            )
        input_text = _reserialize(input_json)
        self.create_instance(instance_id, name, input_text, parent=None)
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

    def list_statuses(self, *, show_input: bool = False) -> list[dict[str, Any]]:
        """Every instance's status (no history); the HTTP API filters and pages them."""
        return [
            status_json(inst, show_history=False, show_history_output=False, show_input=show_input)
            for inst in self.instances.values()
        ]

    async def raise_event(self, instance_id: str, name: str, data_json: str | None) -> None:
        """Queue an EventRaised; `data_json` is the request body (the SDK double-encodes it)."""
        inst = self._running_instance(instance_id, f"raise event {name} for")
        ev = h.event_raised(self.timestamp(), name, _reserialize(data_json))
        self.deliver(inst, Message(ev))

    async def terminate(self, instance_id: str, reason: str | None) -> None:
        inst = self._running_instance(instance_id, "terminate")
        inst.terminate_requested = True
        self.deliver(inst, Message(h.execution_terminated(self.timestamp(), reason)))

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

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.dispatcher.close()
        self.orchestrator_pool.shutdown(wait=False, cancel_futures=True)

    # -- instances and messages (the public ones serve episode.py and dispatch.py) -----------
    def timestamp(self) -> str:
        """Now, as history events and messages carry it."""
        return h.net_timestamp(self.clock.now())

    def create_instance(
        self, instance_id: str, name: str, input_text: str | None, parent: ParentLink | None
    ) -> Instance:
        """Add the instance and deliver its ExecutionStarted (a start, or a child of `parent`)."""
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
            self.timestamp(), instance_id, inst.execution_id, name, input_text, parent_json
        )
        self.instances[instance_id] = inst
        self.deliver(inst, Message(es, inst.execution_id))
        return inst

    def deliver(self, inst: Instance, message: Message) -> None:
        """Put a message in the inbox (dropped if the instance or its execution is gone)."""
        if inst.terminal or self.instances.get(inst.id) is not inst:
            return
        if message.execution_id is not None and message.execution_id != inst.execution_id:
            return
        inst.inbox.append(message)
        self.kick(inst)

    def _ready(self, inst: Instance) -> bool:
        if not inst.inbox or inst.terminal:
            return False
        if self.settings.batching == "one" or inst.inflight == 0:
            return True
        # Batching "all": wait until every running activity/HTTP call of the instance has
        # reported, so completions that are ready together arrive in one episode. A terminate
        # does not wait.
        return inst.terminate_requested

    def kick(self, inst: Instance) -> None:
        """Start driving the instance's episodes, unless it is running or has nothing ready."""
        if inst.running or self._closed or not self._ready(inst):
            return
        inst.running = True
        self.spawn(self._drive(inst))

    def spawn(self, coro: Any) -> None:
        """Run a coroutine as a task that close() cancels."""
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
                await self._timed_episode(inst, [m.event for m in batch])
                while inst.fresh_generation and not self._closed:
                    inst.fresh_generation = False
                    await self._timed_episode(inst, None)
        except Exception:
            log.exception("devhost: episode of %s (%s) crashed", inst.name, inst.id)
            raise
        finally:
            inst.running = False
        if inst.terminal:
            inst.inbox.clear()
        else:
            self.kick(inst)

    async def _timed_episode(self, inst: Instance, batch: list[h.Event] | None) -> None:
        """Run one episode and record when it started and how long it took."""
        began = time.perf_counter()
        await run_episode(self, inst, batch, not_before=began + self.settings.episode_cost_s)
        inst.counters.episode_start_s.append(began - inst.started_at)
        inst.counters.episode_wall_s.append(time.perf_counter() - began)


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
