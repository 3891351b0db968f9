"""What the stand-in billing API received and charged: in total, distinct invoices, and per run.

It honours ``Idempotency-Key`` the way a payment API does: the first request with a key is a
charge and its answer is remembered; a repeat of the key gets that first answer and is counted
as a duplicate, not charged again. Without a key every request is a charge (the anti-pattern's
1,275 POSTs for 50 invoices are 1,275 charges).

In memory and per app instance: good enough for a demo. Memory is bounded: it remembers the
latest ``max_runs`` runs (the oldest is forgotten first) and ``max_keys_per_run`` keys per run.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

UNKNOWN_RUN = "unknown"
DEFAULT_MAX_RUNS = 256
DEFAULT_MAX_KEYS_PER_RUN = 20_000


class LedgerFull(Exception):
    """A run sent more distinct idempotency keys, or invoices, than the stand-in remembers."""


@dataclass
class _Run:
    received: int = 0
    billed: int = 0
    duplicates: int = 0
    invoices: set[str] = field(default_factory=set)
    answers: dict[str, Any] = field(default_factory=dict)  # idempotency key -> first answer

    def stats(self) -> dict[str, int]:
        return {
            "received": self.received,
            "distinct_invoices": len(self.invoices),
            "billed": self.billed,
            "duplicates": self.duplicates,
        }


class BillingLedger:
    """Thread-safe tallies and remembered answers; the billing routes run concurrently."""

    def __init__(
        self, max_runs: int = DEFAULT_MAX_RUNS, max_keys_per_run: int = DEFAULT_MAX_KEYS_PER_RUN
    ) -> None:
        self._lock = threading.Lock()
        self._runs: OrderedDict[str, _Run] = OrderedDict()
        self._max_runs = max_runs
        self._max_keys = max_keys_per_run

    def _run(self, run_id: str) -> _Run:
        run = self._runs.get(run_id)
        if run is None:
            run = self._runs[run_id] = _Run()
            while len(self._runs) > self._max_runs:
                self._runs.popitem(last=False)
        return run

    def record(
        self, invoice_id: str, run_id: str | None, key: str | None = None, answer: Any = None
    ) -> tuple[Any, bool]:
        """Count one submission; (the answer to give, whether it was charged now).

        With a ``key`` seen before in this run: the first answer, not charged. Otherwise a
        charge, whose ``answer`` is remembered under ``key``. Raises ``LedgerFull`` (nothing
        counted) when a run has sent more keys than are remembered.
        """
        with self._lock:
            run = self._run(run_id or UNKNOWN_RUN)
            if key is not None and key in run.answers:
                run.received += 1
                run.duplicates += 1
                run.invoices.add(invoice_id)
                return run.answers[key], False
            if key is not None and len(run.answers) >= self._max_keys:
                raise LedgerFull(f"this stand-in remembers at most {self._max_keys} keys per run")
            if len(run.invoices) >= self._max_keys and invoice_id not in run.invoices:
                raise LedgerFull(f"this stand-in counts at most {self._max_keys} invoices per run")
            run.received += 1
            run.billed += 1
            run.invoices.add(invoice_id)
            if key is not None:
                run.answers[key] = answer
            return answer, True

    def reset(self) -> None:
        """Forget everything."""
        with self._lock:
            self._runs.clear()

    def stats(self) -> dict[str, Any]:
        """``{"received", "distinct_invoices", "billed", "duplicates", "by_run": {...}}``."""
        with self._lock:
            by_run = {run_id: run.stats() for run_id, run in self._runs.items()}
            distinct = set().union(*(run.invoices for run in self._runs.values()))
        totals = {
            name: sum(run[name] for run in by_run.values())
            for name in ("received", "billed", "duplicates")
        }
        return {
            "received": totals["received"],
            "distinct_invoices": len(distinct),
            "billed": totals["billed"],
            "duplicates": totals["duplicates"],
            "by_run": by_run,
        }
