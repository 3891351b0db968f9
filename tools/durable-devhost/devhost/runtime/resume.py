"""Taking over a store's unfinished instances, as a new worker does after a restart.

Each instance is loaded with its history; the work its history still waits for is started
again (`outstanding.py`: at least once); its stored client messages are delivered. The next
episode replays the whole history. docs/durable-replay-protocol.md §9.1.
"""

from __future__ import annotations

import logging

from devhost.replay.instance import Instance
from devhost.replay.outstanding import outstanding_decisions
from devhost.replay.shim import Decision
from devhost.runtime.driver import Driver
from devhost.runtime.store import Store

log = logging.getLogger("devhost")


def resume_unfinished(driver: Driver, store: Store) -> int:
    """Drive every unfinished instance of `store` whose orchestrator the app has; how many."""
    resumed = []
    for item in store.unfinished():
        if not driver.index.has_orchestrator(item.record.name):
            log.error(
                "devhost: %s (%s) is not resumed: the app has no orchestrator of that name",
                item.record.name,
                item.record.id,
            )
            continue
        driver.instances[item.record.id] = Instance(item.record, item.history)
        resumed.append(item)
    for item in resumed:  # all are loaded first: a parent finds its running child
        inst = driver.instances[item.record.id]
        decisions = outstanding_decisions(inst.history)
        work = [d for d in decisions if d.kind != "suborch"]
        driver.dispatch(inst, work)
        for decision in decisions:
            if decision.kind == "suborch":
                _resume_child(driver, store, inst, decision)
        for message in item.messages:
            driver.deliver(inst, message)
        log.info(
            "devhost: resumed %s (%s): %d history events, %d scheduled item(s) started again",
            inst.name,
            inst.id,
            len(inst.history),
            len(work),
        )
    return len(resumed)


def _resume_child(driver: Driver, store: Store, parent: Instance, decision: Decision) -> None:
    """A sub-orchestration the parent waits for: still running, finished, or never created."""
    child_id = decision.instance_id or ""
    if child_id in driver.instances:
        return  # it resumes on its own and reports to the parent when it ends
    record = store.record(child_id)
    if record is not None and record.terminal:
        driver.notify_parent(record)
    else:
        driver.dispatch(parent, [decision])
