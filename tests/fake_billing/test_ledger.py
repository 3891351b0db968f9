"""The billing ledger counts every submission and charges each idempotency key once."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from fake_billing.ledger import BillingLedger, LedgerFull


def test_without_a_key_every_request_is_a_charge():
    ledger = BillingLedger()
    for invoice, run in [("A", "r1"), ("A", "r1"), ("B", "r1"), ("A", "r2"), ("C", None)]:
        ledger.record(invoice, run)
    assert ledger.stats() == {
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
    assert ledger.stats() == {
        "received": 0,
        "distinct_invoices": 0,
        "billed": 0,
        "duplicates": 0,
        "by_run": {},
    }


def test_a_repeated_key_gets_the_first_answer_and_is_not_charged_again():
    ledger = BillingLedger()
    assert ledger.record("A", "r1", "r1:A", {"n": 1}) == ({"n": 1}, True)
    assert ledger.record("A", "r1", "r1:A", {"n": 2}) == ({"n": 1}, False)
    assert ledger.record("A", "r2", "r1:A", {"n": 3}) == ({"n": 3}, True)  # keys are per run
    assert ledger.stats()["by_run"]["r1"] == {
        "received": 2,
        "distinct_invoices": 1,
        "billed": 1,
        "duplicates": 1,
    }
    assert (ledger.stats()["billed"], ledger.stats()["duplicates"]) == (2, 1)


def test_memory_is_bounded_oldest_run_first_and_keys_per_run():
    ledger = BillingLedger(max_runs=3, max_keys_per_run=2)
    for run in ("r1", "r2", "r3", "r4"):
        ledger.record("A", run, "k")
    assert list(ledger.stats()["by_run"]) == ["r2", "r3", "r4"]
    ledger.record("B", "r4", "k2")
    with pytest.raises(LedgerFull):
        ledger.record("C", "r4", "k3")
    assert ledger.stats()["by_run"]["r4"]["received"] == 2  # the refused request is not counted


def test_two_ledgers_share_nothing():
    first, second = BillingLedger(), BillingLedger()
    first.record("A", "r1")
    assert second.stats()["received"] == 0


def test_concurrent_records_are_not_lost():
    ledger = BillingLedger()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: ledger.record(f"INV-{i % 100}", "r", f"k{i % 100}"), range(4000)))
    stats = ledger.stats()
    assert (stats["received"], stats["distinct_invoices"]) == (4000, 100)
    assert (stats["billed"], stats["duplicates"]) == (100, 3900)
