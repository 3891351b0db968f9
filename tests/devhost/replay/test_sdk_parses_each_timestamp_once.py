"""The SDK builds every history event anew on each episode and parses its Timestamp with
dateutil (azure-functions-durable, models/history/HistoryEvent.py, `HistoryEvent.__init__`:
`dt_parse(Timestamp)`). The host memoizes that function: same datetime, one parse per text."""

from __future__ import annotations

import importlib

from azure.durable_functions.models.history import HistoryEvent, HistoryEventType
from dateutil.parser import parse

from devhost import DurableEngine, FunctionIndex
from devhost.replay.timestamps import memoized_parse

STAMP = "2026-12-06T04:05:06.123456Z"


def _event() -> HistoryEvent:
    return HistoryEvent(
        EventType=HistoryEventType.ORCHESTRATOR_STARTED, EventId=-1, IsPlayed=True, Timestamp=STAMP
    )


def test_an_engine_points_the_sdk_at_the_memoized_parser():
    module = importlib.import_module("azure.durable_functions.models.history.HistoryEvent")

    DurableEngine(FunctionIndex([]))

    assert module.dt_parse is memoized_parse


def test_the_same_text_is_parsed_once_and_gives_the_same_datetime():
    DurableEngine(FunctionIndex([]))
    memoized_parse.cache_clear()

    first, second, third = _event(), _event(), _event()

    assert first.timestamp == second.timestamp == third.timestamp == parse(STAMP)
    info = memoized_parse.cache_info()
    assert (info.misses, info.hits) == (1, 2)
