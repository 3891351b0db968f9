"""A billing answer is a charge only when it is a receipt: a 2xx whose JSON body echoes the
invoice id with a charge id. A redirected GET's 200 page, an empty 201 or another invoice's
receipt is not."""

import pytest

from invoices.receipt import receipt_error

RECEIPT = '{"invoice_id": "INV-000001", "charge_id": "ch_1"}'


@pytest.mark.parametrize("content", [RECEIPT, {"invoice_id": "INV-000001", "charge_id": "ch_1"}])
@pytest.mark.parametrize("status", [200, 201])
def test_a_receipt_is_a_charge(status, content):
    assert receipt_error("INV-000001", status, content) is None


@pytest.mark.parametrize(
    ("status", "content", "says"),
    [
        (200, "<html>Billing</html>", "without a receipt"),
        (201, "", "without a receipt"),
        (201, '{"invoice_id": "INV-000002", "charge_id": "ch_1"}', "without a receipt"),
        (201, '{"invoice_id": "INV-000001"}', "with no charge_id"),
        (201, '{"invoice_id": "INV-000001", "charge_id": ""}', "with no charge_id"),
        (307, RECEIPT, "answered 307"),
        (422, '{"error": "idempotency_key_reused"}', "answered 422"),
    ],
)
def test_anything_else_is_not_billed(status, content, says):
    error = receipt_error("INV-000001", status, content)
    assert error is not None
    assert says in error
    assert "INV-000001" in error


def test_a_page_without_a_receipt_names_the_redirect_fix():
    assert "INVOICE_API_URL must be the final https address" in receipt_error(
        "INV-000001", 200, "<html>Billing</html>"
    )
