"""The invoice domain: plain Python, no Azure. Generation and pricing are pure functions."""

from invoices.generator import fake_invoice
from invoices.pricing import InvalidInvoiceError, price_invoice

__all__ = ["InvalidInvoiceError", "fake_invoice", "price_invoice"]
