"""Embedded local host: plays the Functions host and the Durable extension for this app.

Never deployed (.funcignore excludes it). The replay driver follows
docs/durable-replay-protocol.md (§9 is the algorithm); README "Differences from the real host"
lists where it departs from the real host.
"""

from .clock import RealClock, VirtualClock
from .counters import InstanceCounters
from .engine import (
    DurableEngine,
    EngineSettings,
    InstanceExistsError,
    InstanceGoneError,
    InstanceNotFoundError,
    UnknownOrchestratorError,
)
from .function_index import FunctionIndex

__all__ = [
    "DurableEngine",
    "EngineSettings",
    "FunctionIndex",
    "InstanceCounters",
    "InstanceExistsError",
    "InstanceGoneError",
    "InstanceNotFoundError",
    "RealClock",
    "UnknownOrchestratorError",
    "VirtualClock",
]
