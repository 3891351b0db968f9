"""What makes a billing answer a charge: a 2xx whose JSON body echoes the invoice (a receipt).

Any other 2xx is not proof of a charge. The platform follows redirects, so a 301/302/303 turns
the POST into a GET whose 200 says nothing about billing; a proxy or a wrong URL can answer 200
too. The orchestrators (while billing) and the run summary (from history) share these rules.
"""

from __future__ import annotations

import json
from typing import Any


def receipt_error(invoice_id: str, status: int, content: Any) -> str | None:
    """None when ``status``/``content`` is a receipt for ``invoice_id``; else why it is not.

    A receipt is a 2xx whose body is a JSON object with this ``invoice_id`` and a non-empty
    string ``charge_id``. ``content`` is the response body as text (or already parsed).
    """
    if not 200 <= status < 300:
        return f"the billing API answered {status} for invoice {invoice_id}"
    body = content
    if isinstance(content, (str, bytes)):
        try:
            body = json.loads(content)
        except (ValueError, RecursionError):
            body = None
    charge_id = body.get("charge_id") if isinstance(body, dict) else None
    if not isinstance(body, dict) or body.get("invoice_id") != invoice_id:
        return (
            f"the billing API answered {status} for invoice {invoice_id} without a receipt"
            " for it (no JSON body echoing the invoice_id): not counted as billed; a redirect"
            " turns the POST into a GET, so INVOICE_API_URL must be the final https address"
        )
    if not isinstance(charge_id, str) or not charge_id:
        return (
            f"the billing API answered {status} for invoice {invoice_id} with no charge_id:"
            " not counted as billed"
        )
    return None


def answer_settles(status: int | None) -> bool:
    """Whether an answer without a receipt says the invoice was not charged.

    No answer (a transport error: a reset or timeout can come after the charge), a 5xx or a
    408 does not say (payment APIs document a 5xx as an unknown outcome): reconcile those with
    the billing API's ledger rather than bill them again.
    """
    return status is not None and status < 500 and status != 408
