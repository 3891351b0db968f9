"""Embedded local host: plays the Functions host and the Durable extension for this app.

Never deployed (.funcignore excludes it). The replay driver follows
docs/durable-replay-protocol.md (§9 is the algorithm); README "Differences from the real host"
lists where it departs from the real host.

Layers, imports pointing down only (tests/devhost/test_layering.py keeps it so):
1. core, pure and synchronous: `history`, `futures`, `retry`, `nondeterminism`, `shim` (the
   SDK's actions as DTFx decisions), `dtfx` (the history walk that drives it), `episode`
   (history in, decisions out), `outstanding`, `instance`, `status`;
2. work: `dispatch` (activities via `activities`/`workers`, HTTP via `http_activity`),
   `function_index`, `clock`;
3. engine and store: `store`, `sqlite_store`, `episode_state` (an episode's input from an
   instance, its result applied back), `driver` (episodes, checkpoints, dispatch), `resume`,
   `engine` (client API);
4. surface: `server`, `durable_api`, `http_trigger`, `serve`, `testing`, `__main__`.
"""

from devhost.replay.counters import InstanceCounters
from devhost.runtime.engine import (
    DurableEngine,
    EngineSettings,
    InstanceExistsError,
    InstanceGoneError,
    InstanceNotFoundError,
    UnknownOrchestratorError,
)
from devhost.runtime.store import MemoryStore, Store
from devhost.work.clock import RealClock, VirtualClock
from devhost.work.function_index import FunctionIndex

__all__ = [
    "DurableEngine",
    "EngineSettings",
    "FunctionIndex",
    "InstanceCounters",
    "InstanceExistsError",
    "InstanceGoneError",
    "InstanceNotFoundError",
    "MemoryStore",
    "RealClock",
    "Store",
    "UnknownOrchestratorError",
    "VirtualClock",
]
