"""Counts of what the billing API received: in total, distinct invoices, and per run.

In memory and per process: good enough for a demo; on Azure with several instances each keeps
its own counts.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Any

UNKNOWN_RUN = "unknown"


class BillingLedger:
    """Thread-safe tallies; the billing routes run concurrently."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_run: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def record(self, invoice_id: str, run_id: str | None) -> None:
        """Count one submission of ``invoice_id`` for ``run_id``."""
        with self._lock:
            self._by_run[run_id or UNKNOWN_RUN][invoice_id] += 1

    def reset(self) -> None:
        """Forget everything."""
        with self._lock:
            self._by_run.clear()

    def stats(self) -> dict[str, Any]:
        """``{"received", "distinct_invoices", "by_run": {run_id: {...}}}``."""
        with self._lock:
            by_run = {
                run: {"received": sum(c.values()), "distinct_invoices": len(c)}
                for run, c in self._by_run.items()
            }
            distinct = set().union(*(c.keys() for c in self._by_run.values()))
        return {
            "received": sum(r["received"] for r in by_run.values()),
            "distinct_invoices": len(distinct),
            "by_run": by_run,
        }
