"""devhost: an embedded local host that plays the Functions host and the Durable extension.

It runs any Python Durable Functions app (v2 `function_app.py` or v1 function.json folders) on
the real `azure-functions-durable` SDK, without Core Tools or Azurite. The replay driver
follows the Durable Task Framework's algorithm; docs/devhost.md in its repository lists where it
departs from the real host. Entry points: `devhost serve` (`python -m devhost serve`),
`devhost.testing` and the `durable_app` pytest fixture.

One folder per layer, imports pointing down only (tests/devhost/test_layering.py keeps it so):
1. `replay`: the pure, synchronous core (`episode`: history in, new history and decisions out);
2. `work`: what an episode dispatches (activities, durable HTTP), the app it runs, time, --strict;
3. `runtime`: the engine and its store (instances, episodes, checkpoints, resume, client API);
4. `http`: what callers see over HTTP (the Functions host, the durable HTTP API, `serve`);
5. `testing`: the test API and the pytest plugin.

The names below resolve on first use, so importing one layer never imports the ones above it.
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> the module that defines it
_EXPORTS = {
    "DurableEngine": "devhost.runtime.engine",
    "EngineSettings": "devhost.runtime.engine",
    "InstanceExistsError": "devhost.runtime.engine",
    "InstanceGoneError": "devhost.runtime.engine",
    "InstanceNotFoundError": "devhost.runtime.engine",
    "UnknownOrchestratorError": "devhost.runtime.engine",
    "MemoryStore": "devhost.runtime.store",
    "Store": "devhost.runtime.store",
    "FunctionIndex": "devhost.work.function_index",
    "RealClock": "devhost.work.clock",
    "VirtualClock": "devhost.work.clock",
    "InstanceCounters": "devhost.replay.counters",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'devhost' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
