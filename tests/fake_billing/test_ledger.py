"""The billing ledger counts every submission, so replays show up as duplicates."""

from concurrent.futures import ThreadPoolExecutor

from fake_billing.ledger import BillingLedger


def test_counts_totals_distinct_and_per_run():
    ledger = BillingLedger()
    for invoice, run in [("A", "r1"), ("A", "r1"), ("B", "r1"), ("A", "r2"), ("C", None)]:
        ledger.record(invoice, run)
    assert ledger.stats() == {
        "received": 5,
        "distinct_invoices": 3,
        "by_run": {
            "r1": {"received": 3, "distinct_invoices": 2},
            "r2": {"received": 1, "distinct_invoices": 1},
            "unknown": {"received": 1, "distinct_invoices": 1},
        },
    }
    ledger.reset()
    assert ledger.stats() == {"received": 0, "distinct_invoices": 0, "by_run": {}}


def test_concurrent_records_are_not_lost():
    ledger = BillingLedger()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: ledger.record(f"INV-{i % 100}", "r"), range(4000)))
    assert ledger.stats()["received"] == 4000
    assert ledger.stats()["distinct_invoices"] == 100
