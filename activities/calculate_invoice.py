"""The ``calculate_invoice`` activity (the blog's CalculateInvoice).

A thin wrapper around the pure pricing rules. Activities run at least once, so this one is
idempotent. A malformed invoice raises: failures stay visible to retries and status queries.

It also returns the deployment's billing target (URL and limits, from app settings): an
orchestrator may not read settings itself, and this activity runs before every POST anyway, so
the target arrives through history at no extra episode.
"""

from __future__ import annotations

import logging
from typing import Any

import azure.durable_functions as df

from app_settings import billing_target
from invoices import price_invoice

bp = df.Blueprint()


@bp.activity_trigger(input_name="invoice")
def calculate_invoice(invoice: dict[str, Any]) -> dict[str, Any]:
    """``{"invoice": <priced>, "billing": <target>}``; raises ``InvalidInvoiceError``."""
    priced = price_invoice(invoice)
    logging.debug("calculate_invoice %s total=%s", priced["invoice_id"], priced["total"])
    return {"invoice": priced, "billing": billing_target()}
