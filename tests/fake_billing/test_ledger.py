"""The billing ledger counts every submission, charges each idempotency key once and never
forgets a key it may still see."""

import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import pytest

from fake_billing.ledger import (
    DEFAULT_MAX_BYTES,
    BillingLedger,
    KeyReused,
    LedgerFull,
    key_bytes,
)

RECEIPT = {"invoice_id": "A", "charge_id": "ch_1"}


def invoice(invoice_id: str, total: str = "1.00") -> dict:
    return {"invoice_id": invoice_id, "total": total}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def tallies(ledger: BillingLedger) -> dict:
    return {name: value for name, value in ledger.stats().items() if name != "memory"}


def test_without_a_key_every_request_is_a_charge():
    ledger = BillingLedger()
    for invoice_id, run in [("A", "r1"), ("A", "r1"), ("B", "r1"), ("A", "r2"), ("C", None)]:
        ledger.record(invoice(invoice_id), run)
    assert tallies(ledger) == {
        "received": 5,
        "distinct_invoices": 3,
        "billed": 5,
        "duplicates": 0,
        "by_run": {
            "r1": {"received": 3, "distinct_invoices": 2, "billed": 3, "duplicates": 0},
            "r2": {"received": 1, "distinct_invoices": 1, "billed": 1, "duplicates": 0},
            "unknown": {"received": 1, "distinct_invoices": 1, "billed": 1, "duplicates": 0},
        },
    }
    ledger.reset()
    assert tallies(ledger) == {
        "received": 0,
        "distinct_invoices": 0,
        "billed": 0,
        "duplicates": 0,
        "by_run": {},
    }


def test_a_repeated_key_with_the_same_invoice_gets_the_first_answer_and_is_not_charged():
    ledger = BillingLedger()
    assert ledger.record(invoice("A"), "r1", "k:A", RECEIPT) == (RECEIPT, True)
    again = {"total": "1.00", "invoice_id": "A"}  # the same invoice, its keys in another order
    assert ledger.record(again, "r1", "k:A", {"n": 2}) == (RECEIPT, False)
    assert ledger.record(invoice("A"), "r2", "k:A", {"n": 3}) == (RECEIPT, False)  # any run
    assert ledger.stats()["by_run"]["r1"] == {
        "received": 2,
        "distinct_invoices": 1,
        "billed": 1,
        "duplicates": 1,
    }
    assert (ledger.stats()["billed"], ledger.stats()["duplicates"]) == (1, 2)


def test_a_known_key_with_a_different_invoice_is_refused_and_not_counted():
    ledger = BillingLedger()
    ledger.record(invoice("A"), "r1", "k:A", RECEIPT)
    before = tallies(ledger)
    with pytest.raises(KeyReused, match="different invoice"):
        ledger.record(invoice("A", total="2.00"), "r1", "k:A", {"n": 2})
    with pytest.raises(KeyReused):
        ledger.record(invoice("B"), "r2", "k:A", {"n": 3})
    assert tallies(ledger) == before


def test_a_key_is_kept_for_the_retention_window_and_forgotten_after_it():
    clock = Clock()
    ledger = BillingLedger(retention_s=100, clock=clock)
    ledger.record(invoice("A"), "r1", "k:A", RECEIPT)
    clock.now = 99.9
    assert ledger.record(invoice("A"), "r1", "k:A", {"n": 2}) == (RECEIPT, False)
    assert ledger.stats()["memory"]["keys"] == 1
    clock.now = 100.0
    assert ledger.record(invoice("B"), "r1", "k:B", {"n": 3}) == ({"n": 3}, True)
    assert ledger.stats()["memory"]["keys"] == 1  # k:A expired, k:B is new
    assert ledger.record(invoice("A"), "r1", "k:A", {"n": 4}) == ({"n": 4}, True)


def test_resetting_the_stats_keeps_every_key():
    ledger = BillingLedger()
    ledger.record(invoice("A"), "r1", "k:A", RECEIPT)
    ledger.reset()
    assert ledger.record(invoice("A"), "r1", "k:A", {"n": 2}) == (RECEIPT, False)
    assert ledger.stats()["by_run"]["r1"]["duplicates"] == 1
    assert ledger.stats()["memory"]["keys"] == 1


def test_at_its_memory_bound_it_refuses_new_runs_and_evicts_no_key():
    per_key = key_bytes("r0:INV-0", '{"invoice_id":"INV-0","charge_id":"ch_1"}')
    ledger = BillingLedger(max_bytes=40 * per_key)
    run, count = 0, 0
    with pytest.raises(LedgerFull, match="refuses new runs"):
        while True:  # runs of 3 invoices until a new one is refused
            for i in range(3):
                receipt = {"invoice_id": f"INV-{i}", "charge_id": "ch_1"}
                ledger.record(invoice(f"INV-{i}"), f"r{run}", f"r{run}:INV-{i}", receipt)
                count += 1
            run += 1
    stats = ledger.stats()
    assert stats["memory"]["keys"] == count and stats["memory"]["used_bytes"] <= 40 * per_key
    with pytest.raises(LedgerFull):
        ledger.record(invoice("INV-0"), "another", None)  # no key: a new run all the same
    for old in range(run):  # every key is still known: a retry is never charged again
        answer, charged = ledger.record(invoice("INV-0"), f"r{old}", f"r{old}:INV-0", {})
        assert (answer["invoice_id"], charged) == ("INV-0", False)
    # A run already posting may use the last tenth of the bound, but not more.
    more = 0
    with pytest.raises(LedgerFull):
        for i in range(3, 1000):
            ledger.record(invoice(f"INV-{i}"), "r0", f"r0:INV-{i}", RECEIPT)
            more += 1
    assert more >= 2 and ledger.stats()["memory"]["used_bytes"] <= 40 * per_key


def test_the_memory_estimate_is_never_below_what_python_allocates():
    """The README states the bound in bytes; the estimate behind it must be honest."""
    ledger = BillingLedger()
    ledger.record(invoice("warm-up"), "warm-up", "warm-up", RECEIPT)
    run = "0123456789abcdef0123456789abcdef"  # a GUID's 32 characters
    tracemalloc.start()
    try:
        before, used_before = tracemalloc.take_snapshot(), ledger.used_bytes
        for i in range(3000):
            receipt = {"invoice_id": f"INV-{i:06d}", "charge_id": f"ch_{i:032x}"}
            ledger.record(invoice(f"INV-{i:06d}"), run, f"{run}:INV-{i:06d}", receipt)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    measured = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert measured <= ledger.used_bytes - used_before
    assert DEFAULT_MAX_BYTES == 64 * 1024 * 1024


def test_two_ledgers_share_nothing():
    first, second = BillingLedger(), BillingLedger()
    first.record(invoice("A"), "r1")
    assert second.stats()["received"] == 0


def test_concurrent_records_are_not_lost():
    ledger = BillingLedger()
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda i: ledger.record(invoice(f"INV-{i % 100}"), "r", f"k{i % 100}", {}),
                range(4000),
            )
        )
    stats = ledger.stats()
    assert (stats["received"], stats["distinct_invoices"]) == (4000, 100)
    assert (stats["billed"], stats["duplicates"]) == (100, 3900)
