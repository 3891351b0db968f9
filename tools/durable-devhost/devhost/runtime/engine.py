"""DurableEngine: the Durable extension's client API over the replay driver (spec §9).

The client API (start, status, raise event, terminate, purge, wait) reads and writes through a
`Store`; `driver.py` runs the episodes and their work. On `start()` the engine resumes every
unfinished instance of the store: it replays its history on the next message and dispatches
again the work that history still waits for (at least once, as on Azure).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from devhost.replay import history as h
from devhost.replay.counters import InstanceCounters
from devhost.replay.instance import Instance, InstanceRecord, Message
from devhost.replay.status import status_json
from devhost.replay.timestamps import memoize_sdk_timestamps
from devhost.runtime.driver import Driver
from devhost.runtime.resume import resume_unfinished
from devhost.runtime.store import MemoryStore, Store
from devhost.work.activities import ClientJson
from devhost.work.clock import Clock, RealClock
from devhost.work.dispatch import WorkSettings
from devhost.work.function_index import FunctionIndex, UnknownFunctionError
from devhost.work.waiting import wait_until

if TYPE_CHECKING:
    from devhost.work.strict import StrictMode

log = logging.getLogger("devhost")
MAX_INSTANCE_ID_LENGTH = 256  # DurableClient.MaxInstanceIdLength


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
    # At start, purge finished instances created more than this long ago (None: keep all), as
    # `purge_instance_history_by(created_time_to=now - retention, runtime_status=[finished])`.
    retention_s: float | None = None
    strict: StrictMode | None = None  # `--strict`: watch orchestrator code (devhost/work/strict.py)
    # host.json `functionTimeout` for activities; None: no limit. EmbeddedHost sets it.
    function_timeout_s: float | None = None
    # The `durableClient` value for an activity's client binding; EmbeddedHost sets it.
    client_json: ClientJson | None = None


class DurableEngine:
    """A Durable Functions host for one app; use as `async with DurableEngine(...)`.

    `store` keeps the instances (default: in memory); the engine closes it.
    """

    def __init__(
        self,
        index: FunctionIndex,
        settings: EngineSettings | None = None,
        store: Store | None = None,
    ) -> None:
        memoize_sdk_timestamps()  # replay re-parses every timestamp otherwise (timestamps.py)
        self.index = index
        self.settings = settings or EngineSettings()
        self.clock = self.settings.clock
        self.store: Store = store if store is not None else MemoryStore()
        s = self.settings
        self.driver = Driver(
            index,
            self.store,
            self.clock,
            batching=s.batching,
            dispatch_delay_s=s.dispatch_delay_s,
            episode_cost_s=s.episode_cost_s,
            orchestrator_threads=s.orchestrator_threads,
            work=WorkSettings(
                s.activity_concurrency,
                s.http_timeout_s,
                s.http_connection_limit,
                s.function_timeout_s,
                s.client_json,
            ),
            strict=s.strict,
        )
        self.resumed = 0  # unfinished instances that start() took over from the store
        self._closed = False

    @property
    def instances(self) -> dict[str, Instance]:
        """The unfinished instances this engine drives (finished ones are in the store only)."""
        return self.driver.instances

    async def __aenter__(self) -> DurableEngine:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> int:
        """Apply the retention setting, then resume the store's unfinished instances; how many."""
        if self.settings.retention_s is not None:
            cutoff = self.clock.now() - timedelta(seconds=self.settings.retention_s)
            purged = self.store.purge_finished_before(cutoff)
            if purged:
                log.info("devhost: purged %d finished instance(s) past retention", purged)
        self.resumed = resume_unfinished(self.driver, self.store)
        return self.resumed

    # -- client API -------------------------------------------------------------------------
    async def start_new(
        self, name: str, instance_id: str | None = None, input_json: str | None = None
    ) -> str:
        """Start an orchestration; `input_json` is the body the SDK client POSTs."""
        if not self.index.has_orchestrator(name):
            raise UnknownOrchestratorError(self.index.unknown_orchestrator_message(name))
        instance_id = _checked_id(instance_id)
        if instance_id in self.driver.instances:
            raise InstanceExistsError(
                f"An Orchestration instance with the ID '{instance_id}' already exists."
            )
        input_text = _reserialize(input_json)
        self.driver.create_instance(instance_id, name, input_text, parent=None)
        return instance_id

    def status(
        self,
        instance_id: str,
        *,
        show_history: bool = False,
        show_history_output: bool = False,
        show_input: bool = True,
    ) -> dict[str, Any] | None:
        """The status the HTTP API shows; None for an instance neither live nor stored."""
        try:
            record, live = self._lookup(instance_id)
        except InstanceNotFoundError:
            return None
        if live is not None:
            history = live.history
            live.live_counters()
        else:
            history = self.store.history(instance_id) if show_history else []
        return status_json(
            record,
            history,
            show_history=show_history,
            show_history_output=show_history_output,
            show_input=show_input,
        )

    def list_statuses(
        self, *, show_input: bool = False, start: str = ""
    ) -> Iterator[dict[str, Any]]:
        """Every instance's status (no history) from id `start` on, in id order, read lazily:
        the HTTP API filters them and stops at the end of its page."""
        live = self.driver.instances
        for stored in self.store.records(start):
            inst = live.get(stored.id)
            record = inst.record if inst is not None else stored
            yield status_json(
                record, [], show_history=False, show_history_output=False, show_input=show_input
            )

    def history(self, instance_id: str) -> list[dict[str, Any]]:
        """The raw history (the §1.3 event dicts) of the instance's current execution."""
        _, live = self._lookup(instance_id)
        events = live.history if live is not None else self.store.history(instance_id)
        return [event.data for event in events]

    async def raise_event(self, instance_id: str, name: str, data_json: str | None) -> None:
        """Queue an EventRaised; `data_json` is the request body (the SDK double-encodes it)."""
        inst = self._running_instance(instance_id, f"raise event {name} for")
        ev = h.event_raised(self.driver.timestamp(), name, _reserialize(data_json))
        self.driver.deliver(inst, self.store.enqueue(instance_id, Message(ev)))

    async def terminate(self, instance_id: str, reason: str | None) -> None:
        inst = self._running_instance(instance_id, "terminate")
        ev = h.execution_terminated(self.driver.timestamp(), reason)
        self.driver.deliver(inst, self.store.enqueue(instance_id, Message(ev)))

    def purge(self, instance_id: str) -> int:
        """Delete the instance and its history from the store, running or not (and stop driving
        it; callers waiting for its end get an empty status)."""
        live = self.driver.instances.pop(instance_id, None)
        if live is not None:
            live.wake_waiters()
        return max(self.store.purge(instance_id), 1 if live is not None else 0)

    async def wait(self, instance_id: str, timeout: float | None = None) -> dict[str, Any]:
        """Wait until the instance is Completed, Failed or Terminated; return its status."""
        _, live = self._lookup(instance_id)
        if live is not None and not live.terminal:
            fut = asyncio.get_running_loop().create_future()
            live.waiters.append(fut)
            await asyncio.wait_for(fut, timeout)
        return self.status(instance_id) or {}

    async def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait until nothing is running or deliverable (a test helper; timers may be pending)."""
        await wait_until(lambda: not self.driver.busy(), timeout, "the engine is idle", settle=3)

    async def drain(self, timeout: float) -> bool:
        """Graceful stop: start no new work; let episodes and work in flight finish.

        Episodes that finish still checkpoint; the work they decide stays in their history and
        starts on the next start (`start()`). False if something was still running at `timeout`.
        """
        self.driver.draining = True
        running = self.driver.running_work
        try:
            await wait_until(lambda: running() == 0, timeout, "running work finished", settle=3)
        except TimeoutError:
            return False
        return True

    def counters(self, instance_id: str) -> InstanceCounters:
        record, live = self._lookup(instance_id)
        return live.live_counters() if live is not None else record.counters

    def _running_instance(self, instance_id: str, verb: str) -> Instance:
        record, live = self._lookup(instance_id)
        if live is not None and not live.terminal:
            return live
        raise InstanceGoneError(
            f"Cannot {verb} orchestration instance {instance_id} because instance is in "
            f"{h.STATUS_NAMES[record.status]} state"
        )

    def _lookup(self, instance_id: str) -> tuple[InstanceRecord, Instance | None]:
        """The instance's record and, if this engine drives it, its live state (whose record is
        the one to show); InstanceNotFoundError if neither the driver nor the store has it."""
        live = self.driver.instances.get(instance_id)
        record = live.record if live is not None else self.store.record(instance_id)
        if record is None:
            raise InstanceNotFoundError(f"No instance with ID '{instance_id}' was found.")
        return record, live

    async def close(self) -> None:
        """Stop driving instances and close the store; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        await self.driver.close()
        self.store.close()


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
    # DurableClient `StartNewAsync<T>`: `instanceId.Length`, which counts UTF-16 code units
    # (a character outside the BMP counts twice).
    if len(instance_id.encode("utf-16-le")) // 2 > MAX_INSTANCE_ID_LENGTH:
        raise ValueError(
            f"Instance ID lengths must not exceed {MAX_INSTANCE_ID_LENGTH} characters."
        )
    return instance_id
