"""What the stand-in billing API received and charged, and the idempotency keys it must not forget.

It honours ``Idempotency-Key`` the way a payment API does: the first request with a key is a
charge and its answer is remembered; a repeat of the key with the same invoice gets that first
answer and is counted as a duplicate, not charged again; a repeat with a *different* invoice is
refused (``KeyReused``, 422 ``idempotency_key_reused``), because charging it or answering with
the first receipt would both be wrong. Without a key every request is a charge (the
anti-pattern's 1,275 POSTs for 50 invoices are 1,275 charges).

A key is kept for ``retention_s`` after its first use (24 h, as payment APIs keep them) and never
evicted earlier: when the memory bound (``max_bytes``, an estimate of what the keys and tallies
occupy) is near, new runs are refused (``LedgerFull``, 503) and, at the bound, new keys of any
run; runs already posting keep the last tenth of the bound. Resetting the tallies (the stats)
keeps every key. In memory and per app instance: good enough for a demo.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

UNKNOWN_RUN = "unknown"
DEFAULT_RETENTION_S = 24 * 3600
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
NEW_RUN_SHARE = 0.9  # new runs are refused once this share of the bound is used
# What CPython allocates per remembered key besides the key's and the answer's own characters:
# the _Key object, its digest, the strings' headers and the OrderedDict entry. tracemalloc
# measured 570-620 bytes per key with its invoice (3.11, 45-character keys, receipts of 70);
# tests/fake_billing/test_ledger.py checks that the estimate is never below the measure.
KEY_OVERHEAD_BYTES = 450
# Per invoice id counted in a run's tallies (a set entry and the string's header).
INVOICE_OVERHEAD_BYTES = 120
# Per run: its tallies object, its set and two dict entries.
RUN_OVERHEAD_BYTES = 600


class LedgerFull(Exception):
    """Remembering more would exceed the memory bound; nothing was charged or counted."""


class KeyReused(Exception):
    """A known idempotency key came with a different invoice; nothing was charged or counted."""


@dataclass(slots=True)
class _Key:
    expires: float
    digest: bytes  # sha256 of the invoice, canonical JSON: a retry must send the same invoice
    answer: str  # the first answer, compact JSON
    run_id: str


@dataclass
class _Tally:
    received: int = 0
    billed: int = 0
    duplicates: int = 0
    invoices: set[str] = field(default_factory=set)

    def stats(self) -> dict[str, int]:
        return {
            "received": self.received,
            "distinct_invoices": len(self.invoices),
            "billed": self.billed,
            "duplicates": self.duplicates,
        }


def body_digest(invoice: Any) -> bytes:
    """The same for the same invoice however its JSON was spaced or ordered."""
    canonical = json.dumps(invoice, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).digest()


def key_bytes(key: str, answer: str) -> int:
    """The estimate of what one remembered key occupies."""
    return KEY_OVERHEAD_BYTES + len(key.encode()) + len(answer.encode())


class BillingLedger:
    """Thread-safe tallies and remembered keys; the billing routes run concurrently."""

    def __init__(
        self,
        max_bytes: int = DEFAULT_MAX_BYTES,
        retention_s: float = DEFAULT_RETENTION_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lock = threading.Lock()
        self._keys: OrderedDict[str, _Key] = OrderedDict()  # oldest first: expiry order
        self._live_runs: dict[str, int] = {}  # run id -> keys it still has
        self._tallies: dict[str, _Tally] = {}
        self._max_bytes, self._retention_s, self._clock = max_bytes, retention_s, clock
        self._key_bytes = self._tally_bytes = 0

    @property
    def used_bytes(self) -> int:
        """The estimate of what keys and tallies occupy now."""
        return self._key_bytes + self._tally_bytes

    def record(
        self,
        invoice: dict[str, Any],
        run_id: str | None,
        key: str | None = None,
        answer: Any = None,
    ) -> tuple[Any, bool]:
        """Count one submission of ``invoice``; (the answer to give, whether it was charged now).

        With a ``key`` seen before: its first answer, not charged, when the invoice is the same;
        ``KeyReused`` when it is not. Otherwise a charge, whose ``answer`` is remembered under
        ``key``. ``LedgerFull`` when remembering it would pass the bound (nothing is counted).
        """
        invoice_id, run_id = str(invoice["invoice_id"]), run_id or UNKNOWN_RUN
        digest = body_digest(invoice)
        with self._lock:
            now = self._clock()
            self._expire(now)
            known = self._keys.get(key) if key is not None else None
            if known is not None and known.digest != digest:
                raise KeyReused(
                    "this Idempotency-Key was used with a different invoice; use a new key"
                )
            text = json.dumps(answer, separators=(",", ":"))
            added = self._tally_growth(run_id, invoice_id)
            if known is None and key is not None:
                added += key_bytes(key, text)
            self._admit(run_id, added)
            tally = self._tally(run_id, invoice_id)
            tally.received += 1
            if known is not None:
                tally.duplicates += 1
                return json.loads(known.answer), False
            tally.billed += 1
            if key is not None:
                self._keys[key] = _Key(now + self._retention_s, digest, text, run_id)
                self._live_runs[run_id] = self._live_runs.get(run_id, 0) + 1
                self._key_bytes += key_bytes(key, text)
            return answer, True

    def _expire(self, now: float) -> None:
        while self._keys:
            key, entry = next(iter(self._keys.items()))
            if entry.expires > now:
                return
            del self._keys[key]
            self._key_bytes -= key_bytes(key, entry.answer)
            left = self._live_runs[entry.run_id] - 1
            if left:
                self._live_runs[entry.run_id] = left
            else:
                del self._live_runs[entry.run_id]

    def _tally_growth(self, run_id: str, invoice_id: str) -> int:
        tally = self._tallies.get(run_id)
        if tally is None:
            return RUN_OVERHEAD_BYTES + len(run_id) + INVOICE_OVERHEAD_BYTES + len(invoice_id)
        return 0 if invoice_id in tally.invoices else INVOICE_OVERHEAD_BYTES + len(invoice_id)

    def _admit(self, run_id: str, added: int) -> None:
        if not added:
            return
        used = self.used_bytes + added
        is_new = run_id not in self._live_runs and run_id not in self._tallies
        if used > self._max_bytes or (is_new and used > self._max_bytes * NEW_RUN_SHARE):
            raise LedgerFull(
                f"this stand-in keeps its keys for {self._retention_s / 3600:g} h and at most"
                f" {self._max_bytes} bytes of them; it refuses new runs until keys expire"
            )

    def _tally(self, run_id: str, invoice_id: str) -> _Tally:
        self._tally_bytes += self._tally_growth(run_id, invoice_id)
        tally = self._tallies.setdefault(run_id, _Tally())
        tally.invoices.add(invoice_id)
        return tally

    def reset(self) -> None:
        """Forget the tallies; every idempotency key stays until its retention ends."""
        with self._lock:
            self._tallies.clear()
            self._tally_bytes = 0

    def stats(self) -> dict[str, Any]:
        """``{"received", "distinct_invoices", "billed", "duplicates", "by_run": {...}}``,
        and what the keys occupy: ``{"keys", "used_bytes", "max_bytes", "retention_s"}``."""
        with self._lock:
            by_run = {run_id: tally.stats() for run_id, tally in self._tallies.items()}
            distinct = set().union(*(tally.invoices for tally in self._tallies.values()))
            memory = {
                "keys": len(self._keys),
                "used_bytes": self.used_bytes,
                "max_bytes": self._max_bytes,
                "retention_s": self._retention_s,
            }
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
            "memory": memory,
        }
