"""Payload sizes against the Azure Storage backend's 45 KB message limit.

Messages over 45 KB are compressed into blobs (an extra round trip each), so activity inputs
and outputs must stay far below it. A run's whole output may exceed it at large counts: the
README says so, and this test pins where.
"""

import json

from invoices import fake_invoice, price_invoice
from orchestrators.invoice_run import result_row

LIMIT = 45 * 1024


def size(value) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def test_activity_input_and_output_stay_under_one_kib():
    for seed in range(3):
        for index in range(1000):
            invoice = fake_invoice(seed, index)
            assert size(invoice) < 1024
            assert size(price_invoice(invoice)) < 1024


def test_output_crosses_45_kb_between_500_and_1000_invoices():
    rows = [result_row(price_invoice(fake_invoice(0, i)), 201) for i in range(1000)]
    assert size(rows[:500]) < LIMIT < size(rows)
    assert size(rows) < 2 * LIMIT
