"""The SDK parses each history event's timestamp once per text, not once per episode.

The Python SDK builds every history event anew on every episode and parses its `Timestamp` with
dateutil's general parser (azure-functions-durable, models/history/HistoryEvent.py,
`HistoryEvent.__init__`: `self._timestamp = dt_parse(Timestamp)`). A replay of N events
re-parses all N, so a chain of 20 activities parses ~900 timestamps for ~60 distinct ones,
and the parsing was 76 % of that chain's time. The host memoizes the function the SDK calls:
each text still goes through dateutil, once; the same immutable datetime comes back after.
Nothing else of the SDK changes.
"""

from __future__ import annotations

import functools
import importlib

from dateutil.parser import parse

# The module, not the class its package re-exports under the same name.
_HISTORY_EVENT = "azure.durable_functions.models.history.HistoryEvent"

# Distinct timestamps kept: enough for the replays of a chain of a few hundred events
# (~430 bytes each with their tzinfo, under 0.5 MiB), few enough that memory stays flat.
CACHE_SIZE = 1024
memoized_parse = functools.lru_cache(maxsize=CACHE_SIZE)(parse)


def memoize_sdk_timestamps() -> None:
    """Point the SDK's history events at the memoized parser (idempotent)."""
    importlib.import_module(_HISTORY_EVENT).dt_parse = memoized_parse
