"""The activity is a thin wrapper: it prices, and it raises on malformed input."""

import pytest

from activities.calculate_invoice import calculate_invoice
from app_settings import (
    INVOICE_API_MAX_ATTEMPTS,
    INVOICE_API_RETRY_INTERVAL_MS,
    INVOICE_API_URL,
    MAX_INVOICE_COUNT,
)
from invoices import InvalidInvoiceError, fake_invoice, price_invoice

activity = calculate_invoice.build().get_user_function()


def test_activity_returns_the_priced_invoice_and_the_deployments_billing_target(monkeypatch):
    monkeypatch.setenv(INVOICE_API_URL, "http://billing.example/invoices")
    monkeypatch.setenv(MAX_INVOICE_COUNT, "7")
    monkeypatch.setenv(INVOICE_API_MAX_ATTEMPTS, "3")
    monkeypatch.setenv(INVOICE_API_RETRY_INTERVAL_MS, "250")
    invoice = fake_invoice(0, 1)
    assert activity(invoice) == {
        "invoice": price_invoice(invoice),
        "billing": {
            "url": "http://billing.example/invoices",
            "max_count": 7,
            "max_attempts": 3,
            "retry_interval_ms": 250,
        },
    }


def test_activity_raises_on_malformed_invoice():
    with pytest.raises(InvalidInvoiceError, match="invoice_id"):
        activity({"lines": []})
