"""Once a host has started, the heap it imported is left out of the garbage collector's passes.

CPython's full (generation 2) collection walks every tracked object. After importing the
Functions and Durable SDKs, aiohttp and the app, that is a few hundred thousand objects which
live as long as the process; one full pass over them stalled a running instance by 20-54 ms
(around the 40th of 200 instances in a row, benchmarks/peer_durabletask.py). `gc.freeze()`
moves everything alive into a permanent generation that collections skip ("Freeze all the
objects tracked by gc - move them to a permanent generation and ignore them for all the future
collections", CPython's gc module docs). Done once per process, right after a collection, so
no garbage from before the start is kept.
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_startup_heap() -> bool:
    """Collect, then freeze what is left; True the first time in a process, then a no-op."""
    global _frozen
    if _frozen:
        return False
    gc.collect()
    gc.freeze()
    _frozen = True
    return True
