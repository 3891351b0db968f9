"""Pricing rules: line totals, tax and total, in ``Decimal`` with explicit rounding.

Money never touches ``float``. Amounts travel as strings ("12.30") so JSON cannot round them.
Each line total is rounded to cents, tax is computed on the rounded subtotal and rounded half-up
(the commercial convention), and the total is their sum, so the parts always add up.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
MAX_QUANTITY = 1_000_000
_AMOUNT = re.compile(r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,4})?$")
_RATE = re.compile(r"^0(\.[0-9]{1,4})?$|^1(\.0{1,4})?$")


class InvalidInvoiceError(ValueError):
    """The invoice is malformed; the message names the field and what was expected."""


def _field(obj: dict[str, Any], name: str, where: str) -> Any:
    if name not in obj:
        raise InvalidInvoiceError(f"{where}: missing field '{name}'")
    return obj[name]


def _decimal(value: Any, pattern: re.Pattern[str], where: str, what: str) -> Decimal:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidInvoiceError(f"{where}: {what} must be a decimal string, got {value!r}")
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards this
        raise InvalidInvoiceError(f"{where}: {what} is not a number: {value!r}") from exc


def money(amount: Decimal) -> str:
    """Round to cents, half-up, and render with exactly two decimals."""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def price_invoice(invoice: Any) -> dict[str, Any]:
    """Price one invoice. Pure and idempotent: the same invoice always gives the same result."""
    if not isinstance(invoice, dict):
        raise InvalidInvoiceError(f"invoice must be a JSON object, got {type(invoice).__name__}")
    invoice_id = _field(invoice, "invoice_id", "invoice")
    if not isinstance(invoice_id, str) or not invoice_id:
        raise InvalidInvoiceError("invoice: 'invoice_id' must be a non-empty string")
    where = f"invoice {invoice_id}"
    currency = _field(invoice, "currency", where)
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isascii()):
        raise InvalidInvoiceError(f"{where}: 'currency' must be a 3-letter code, got {currency!r}")
    rate = _decimal(_field(invoice, "tax_rate", where), _RATE, where, "'tax_rate'")
    lines = _field(invoice, "lines", where)
    if not isinstance(lines, list) or not lines:
        raise InvalidInvoiceError(f"{where}: 'lines' must be a non-empty list")

    priced_lines = []
    subtotal = Decimal(0)
    for n, line in enumerate(lines, start=1):
        line_where = f"{where} line {n}"
        if not isinstance(line, dict):
            raise InvalidInvoiceError(f"{line_where}: must be an object")
        quantity = _field(line, "quantity", line_where)
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise InvalidInvoiceError(f"{line_where}: 'quantity' must be an integer")
        if not 1 <= quantity <= MAX_QUANTITY:
            raise InvalidInvoiceError(f"{line_where}: 'quantity' must be 1..{MAX_QUANTITY}")
        unit_price = _decimal(
            _field(line, "unit_price", line_where), _AMOUNT, line_where, "'unit_price'"
        )
        line_total = (unit_price * quantity).quantize(CENT, rounding=ROUND_HALF_UP)
        subtotal += line_total
        priced_lines.append({**line, "line_total": money(line_total)})

    tax = (subtotal * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return {
        "invoice_id": invoice_id,
        "customer": invoice.get("customer"),
        "currency": currency,
        "tax_rate": str(rate),
        "lines": priced_lines,
        "subtotal": money(subtotal),
        "tax": money(tax),
        "total": money(subtotal + tax),
    }
