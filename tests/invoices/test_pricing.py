"""Pricing: Decimal arithmetic with explicit half-up rounding, and clear errors."""

import copy

import pytest

from invoices import InvalidInvoiceError, fake_invoice, price_invoice


def invoice(lines, tax_rate="0.25", **extra):
    return {
        "invoice_id": "INV-000001",
        "customer": "C",
        "currency": "EUR",
        "tax_rate": tax_rate,
        "lines": lines,
        **extra,
    }


def test_line_totals_tax_and_total():
    priced = price_invoice(
        invoice(
            [
                {"description": "a", "quantity": 3, "unit_price": "19.99"},
                {"description": "b", "quantity": 1, "unit_price": "0.10"},
            ]
        )
    )
    assert [line["line_total"] for line in priced["lines"]] == ["59.97", "0.10"]
    assert priced["subtotal"] == "60.07"
    assert priced["tax"] == "15.02"  # 15.0175 rounds half-up
    assert priced["total"] == "75.09"


@pytest.mark.parametrize(
    ("unit_price", "quantity", "line_total"),
    [
        ("0.005", 1, "0.01"),  # half-up, not banker's rounding
        ("0.015", 1, "0.02"),
        ("0.025", 1, "0.03"),  # banker's rounding would give 0.02
        ("0.0049", 1, "0.00"),
        ("1.1", 3, "3.30"),  # float would give 3.3000000000000003
        ("999999999999.9999", 1, "1000000000000.00"),
    ],
)
def test_rounding_edge_cases(unit_price, quantity, line_total):
    priced = price_invoice(
        invoice([{"quantity": quantity, "unit_price": unit_price}], tax_rate="0")
    )
    assert priced["lines"][0]["line_total"] == line_total
    assert priced["total"] == line_total


def test_tax_is_computed_on_the_rounded_subtotal_so_parts_add_up():
    priced = price_invoice(invoice([{"quantity": 1, "unit_price": "0.005"}] * 3, tax_rate="0.5"))
    assert priced["subtotal"] == "0.03"
    assert priced["tax"] == "0.02"  # 0.015 half-up
    assert priced["total"] == "0.05"


def test_pricing_is_pure_and_idempotent():
    original = fake_invoice(3, 4)
    snapshot = copy.deepcopy(original)
    assert price_invoice(original) == price_invoice(original)
    assert original == snapshot


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([1, 2], "must be a JSON object"),
        ({"customer": "x"}, "missing field 'invoice_id'"),
        (invoice([]), "'lines' must be a non-empty list"),
        (invoice("nope"), "'lines' must be a non-empty list"),
        (invoice([{"quantity": 1}]), "missing field 'unit_price'"),
        (invoice([{"quantity": 0, "unit_price": "1.00"}]), "'quantity' must be 1.."),
        (invoice([{"quantity": True, "unit_price": "1.00"}]), "'quantity' must be an integer"),
        (invoice([{"quantity": 1.5, "unit_price": "1.00"}]), "'quantity' must be an integer"),
        (invoice([{"quantity": 1, "unit_price": 1.0}]), "'unit_price' must be a decimal string"),
        (
            invoice([{"quantity": 1, "unit_price": "-1.00"}]),
            "'unit_price' must be a decimal string",
        ),
        (invoice([{"quantity": 1, "unit_price": "NaN"}]), "'unit_price' must be a decimal string"),
        (invoice([{"quantity": 1, "unit_price": "1"}], tax_rate="1.5"), "'tax_rate'"),
        (invoice([{"quantity": 1, "unit_price": "1"}], currency="EURO"), "3-letter code"),
        (invoice(["line"]), "line 1: must be an object"),
    ],
)
def test_malformed_invoices_are_rejected_with_a_clear_message(bad, message):
    with pytest.raises(InvalidInvoiceError, match=message.replace("(", r"\(").replace(".", r"\.")):
        price_invoice(bad)
