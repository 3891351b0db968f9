"""The ``calculate_invoice`` activity (the blog's CalculateInvoice).

A thin wrapper around the pure pricing rules. Activities run at least once, so this one is pure
and idempotent. A malformed invoice raises: failures stay visible to retries and status queries.
"""

from __future__ import annotations

import logging
from typing import Any

import azure.durable_functions as df

from invoices import price_invoice

bp = df.Blueprint()


@bp.activity_trigger(input_name="invoice")
def calculate_invoice(invoice: dict[str, Any]) -> dict[str, Any]:
    """Price one invoice; raises ``InvalidInvoiceError`` on malformed input."""
    priced = price_invoice(invoice)
    logging.debug("calculate_invoice %s total=%s", priced["invoice_id"], priced["total"])
    return priced
