"""The activity is a thin wrapper: it prices, and it raises on malformed input."""

import pytest

from activities.calculate_invoice import calculate_invoice
from invoices import InvalidInvoiceError, fake_invoice, price_invoice

activity = calculate_invoice.build().get_user_function()


def test_activity_returns_the_priced_invoice():
    invoice = fake_invoice(0, 1)
    assert activity(invoice) == price_invoice(invoice)


def test_activity_raises_on_malformed_invoice():
    with pytest.raises(InvalidInvoiceError, match="invoice_id"):
        activity({"lines": []})
