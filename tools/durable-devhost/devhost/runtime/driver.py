"""The engine's inner loop: deliver messages, run episodes, store their results, start their work.

This is the part of DTFx's `TaskOrchestrationDispatcher` that devhost plays: messages for an
instance are batched into one work item; `episode.run_episode` (pure) turns the history and the
batch into an `EpisodeResult`, which `episode_state.apply_result` applies to the instance; the
driver checkpoints it in the store and only then starts the work it decided (activities and
HTTP calls on the `WorkRunner`, timers on the clock, sub-orchestrations as child instances).
Results come back as messages.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from devhost.replay import history as h
from devhost.replay.episode import EpisodeResult, run_episode
from devhost.replay.history import EventType
from devhost.replay.instance import Instance, InstanceRecord, Message, ParentLink
from devhost.replay.shim import Decision
from devhost.runtime.episode_state import apply_result, carry_over_status, episode_input
from devhost.runtime.store import Store, StoreWriteError
from devhost.work import invocation_log
from devhost.work.background import BackgroundTasks
from devhost.work.clock import Clock
from devhost.work.dispatch import WorkDone, WorkItem, WorkRunner, WorkSettings
from devhost.work.function_index import FunctionIndex

if TYPE_CHECKING:
    from devhost.work.strict import StrictMode

log = logging.getLogger("devhost")


class Driver:
    """Owns the live (unfinished) instances; finished ones live only in the store."""

    def __init__(
        self,
        index: FunctionIndex,
        store: Store,
        clock: Clock,
        *,
        batching: str,
        dispatch_delay_s: float,
        episode_cost_s: float,
        orchestrator_threads: int,
        work: WorkSettings,
        strict: StrictMode | None = None,
    ) -> None:
        self.index = index
        self.store = store
        self.clock = clock
        self.batching = batching
        self.dispatch_delay_s = dispatch_delay_s
        self.episode_cost_s = episode_cost_s
        self.instances: dict[str, Instance] = {}
        self.pool = ThreadPoolExecutor(orchestrator_threads, thread_name_prefix="devhost-orch")
        self.work = WorkRunner(index.activity, work, self.timestamp, self._work_done)
        self.strict = strict  # --strict: watch orchestrator code while it runs (strict.py)
        self.draining = False  # episodes still run and checkpoint; their work is not started
        self.closed = False
        self._episodes = BackgroundTasks()  # one task per instance being driven
        # Episodes queue here rather than in the pool, so at most this many results reach the
        # loop at once: a status request waits for a few checkpoints, not for a thousand, while
        # resumed instances catch up (the pool stays busy: twice its threads).
        self._episode_slots = asyncio.Semaphore(2 * orchestrator_threads)

    def timestamp(self) -> str:
        """Now, as history events carry it."""
        return h.net_timestamp(self.clock.now())

    def busy(self) -> bool:
        """An episode runs, work is in flight, or a message is ready for an episode."""
        return any(i.running or i.inflight or self._ready(i) for i in self.instances.values())

    def running_work(self) -> int:
        """Episodes running plus activities and HTTP calls in flight."""
        return sum(i.running + i.inflight for i in self.instances.values())

    # -- instances and messages -------------------------------------------------------------
    def create_instance(
        self, instance_id: str, name: str, input_text: str | None, parent: ParentLink | None
    ) -> Instance:
        """Store a new instance with its ExecutionStarted message, and deliver that message."""
        now = self.clock.now()
        record = InstanceRecord(instance_id, name, h.new_guid(), now, now, input_text=input_text)
        record.parent = parent
        parent_json = None
        if parent is not None:
            parent_name = self.instances[parent.instance_id].name
            parent_json = h.parent_instance(
                parent_name, parent.instance_id, parent.execution_id, parent.task_id
            )
        es = h.execution_started(
            h.net_timestamp(now), instance_id, record.execution_id, name, input_text, parent_json
        )
        message = self.store.create(record, Message(es, record.execution_id))
        inst = self.instances[instance_id] = Instance(record)
        self.deliver(inst, message)
        return inst

    def deliver(self, inst: Instance, message: Message) -> None:
        """Put a message in the inbox (dropped if the instance or its execution is gone)."""
        if inst.terminal or self.instances.get(inst.id) is not inst:
            return
        if message.execution_id is not None and message.execution_id != inst.record.execution_id:
            return
        if message.event.data["EventType"] == EventType.EXECUTION_TERMINATED:
            inst.terminate_pending = True
        inst.inbox.append(message)
        self.kick(inst)

    def _ready(self, inst: Instance) -> bool:
        if not inst.inbox or inst.terminal:
            return False
        if self.batching == "one" or inst.inflight == 0:
            return True
        # Batching "all": wait until every running activity/HTTP call of the instance has
        # reported, so completions that are ready together arrive in one episode. A terminate
        # does not wait.
        return inst.terminate_pending

    def kick(self, inst: Instance) -> None:
        """Start driving the instance's episodes, unless it is running or has nothing ready."""
        if inst.running or self.closed or not self._ready(inst):
            return
        inst.running = True
        self._episodes.spawn(self._drive(inst))

    async def _drive(self, inst: Instance) -> None:
        """Run episodes for the instance while messages are ready."""
        try:
            while self._ready(inst):
                if self.dispatch_delay_s > 0:
                    await asyncio.sleep(self.dispatch_delay_s)
                    if not self._ready(inst):
                        break
                if self.batching == "one":
                    batch = [inst.inbox.popleft()]
                else:
                    batch = list(inst.inbox)
                    inst.inbox.clear()
                    inst.terminate_pending = False
                fresh, status = await self._episode(inst, batch, None)
                while fresh and not self.closed:  # continue-as-new: same work item
                    fresh, status = await self._episode(inst, None, status)
        except StoreWriteError:
            self._pause(inst)
            return
        except Exception:
            log.exception("devhost: episode of %s (%s) crashed", inst.name, inst.id)
            raise
        finally:
            inst.running = False
        if inst.terminal:
            inst.inbox.clear()
        else:
            self.kick(inst)

    async def _episode(
        self, inst: Instance, batch: list[Message] | None, previous_status: Any
    ) -> tuple[bool, Any]:
        """Run one episode and apply it; (a new execution must run at once, its custom status).

        `previous_status` is the custom status the previous execution of this work item set.
        """
        started = time.perf_counter()
        record = inst.record
        if batch is not None and self.batching == "one":
            inst.terminate_pending = any(
                m.event.data["EventType"] == EventType.EXECUTION_TERMINATED for m in inst.inbox
            )
        episode = episode_input(inst, batch, self.clock.now(), self._handle(record), self.index)
        loop = asyncio.get_running_loop()
        async with self._episode_slots:
            result = await loop.run_in_executor(self.pool, run_episode, episode)
        # The episode cost is the whole episode, this replay included: wait only for the rest,
        # before the checkpoint, as a storage backend's work item ends only after its writes.
        remaining = started + self.episode_cost_s - time.perf_counter()
        if remaining > 0:
            await asyncio.sleep(remaining)
        if self.instances.get(inst.id) is not inst:
            return False, None  # purged or replaced while the episode ran
        consumed = [m.seq for m in batch or () if m.seq is not None]
        status = carry_over_status(result, batch is None, previous_status)
        self._apply(inst, result, consumed, started)
        return result.next_execution is not None, status

    def _handle(self, record: InstanceRecord) -> Any:
        """The SDK's orchestrator handle; under --strict, one that watches this episode."""
        handle = self.index.orchestrator(record.name).handle
        if self.strict is None:
            return handle
        return self.strict.watched(
            handle,
            orchestrator=record.name,
            instance_id=record.id,
            episode=record.counters.episodes + 1,
            counters=record.counters,
        )

    def _apply(
        self, inst: Instance, result: EpisodeResult, consumed: list[int], started: float
    ) -> None:
        """Checkpoint the episode's result, then start its work or finish the instance."""
        record = inst.record
        if result.problem is not None:
            log.error("%s", result.problem)
        if result.completion is not None and result.completion.status == h.FAILED:
            reason = result.completion.result or ""
            invocation_log.orchestrator_failed(record.name, result.sdk_seconds, inst.id, reason)
        self.store.checkpoint(apply_result(inst, result, consumed, started, self.clock.now()))
        if record.terminal:
            self.finish(inst)
        elif not self.draining:
            self.dispatch(inst, result.decisions)

    def _pause(self, inst: Instance) -> None:
        """The episode's checkpoint failed (the store logged why): stop driving the instance.

        Its stored state is the last episode that was written, and that is what a status query
        now shows: nothing is reported that was not stored. Its next episode, and the work
        history still waits for, run again when devhost starts again (at least once).
        """
        inst.running = False
        if self.instances.get(inst.id) is inst:
            del self.instances[inst.id]
        log.error(
            "devhost: %s (%s) is paused at its last stored episode; it resumes when devhost "
            "starts again with its state writable",
            inst.name,
            inst.id,
        )

    # -- carrying out decisions ------------------------------------------------------------
    def dispatch(self, inst: Instance, decisions: list[Decision]) -> None:
        """Start the work an episode decided (or a resumed history still waits for)."""
        record = inst.record
        for decision in decisions:
            if decision.kind == "timer":
                self._start_timer(inst, decision)
            elif decision.kind == "suborch":
                self._start_child(inst, decision)
            else:
                inst.inflight += 1
                item = WorkItem.for_decision(record.id, record.execution_id, decision, owner=inst)
                self.work.start(item)

    def _work_done(self, done: WorkDone) -> None:
        """On the loop: an activity or HTTP call finished; its result becomes a message."""
        inst: Instance = done.item.owner
        inst.inflight -= 1
        counters = inst.record.counters
        if done.item.http_request is not None:
            counters.http_calls += 1
            counters.http_seconds += done.http_seconds
        else:
            counters.activities_run += 1
            counters.activity_seconds += done.activity_seconds
        self.deliver(inst, Message(done.event, done.item.execution_id))
        if not inst.inflight:
            self.kick(inst)

    def _start_timer(self, inst: Instance, decision: Decision) -> None:
        execution_id, task_id = inst.record.execution_id, decision.id
        fire_at_text = h.net_timestamp(decision.fire_at)

        def fire() -> None:
            fired = h.timer_fired(self.timestamp(), task_id, fire_at_text)
            self.deliver(inst, Message(fired, execution_id))

        self.clock.call_at(decision.fire_at, fire)

    def _start_child(self, inst: Instance, decision: Decision) -> None:
        link = ParentLink(inst.id, inst.record.execution_id, decision.id)
        child_id = decision.instance_id or ""
        old = self.instances.get(child_id)
        if old is not None:
            log.warning("devhost: sub-orchestration id %s replaces a running instance", child_id)
        self.create_instance(child_id, decision.name or "", h.dumps(decision.input), link)

    def finish(self, inst: Instance) -> None:
        """The instance ended: wake its waiters, forget it (the store keeps it), tell the parent."""
        inst.wake_waiters()
        if self.instances.get(inst.id) is inst:
            del self.instances[inst.id]
        self.notify_parent(inst.record)

    def notify_parent(self, record: InstanceRecord) -> None:
        """Deliver a finished child's result to its parent, if the parent still waits."""
        parent = record.parent
        if parent is None or record.status not in (h.COMPLETED, h.FAILED, h.TERMINATED):
            return
        target = self.instances.get(parent.instance_id)
        if target is None:
            return
        event = h.sub_orch_finished(
            self.timestamp(),
            parent.task_id,
            record.status,
            record.output_text,
            record.failure_details,
        )
        self.deliver(target, Message(event, parent.execution_id))

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        await self._episodes.cancel_all()
        await self.work.close()
        self.pool.shutdown(wait=False, cancel_futures=True)
