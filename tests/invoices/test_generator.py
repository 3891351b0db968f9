"""The fake-invoice generator is a pure function of (seed, index)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from invoices import fake_invoice
from invoices.generator import MAX_LINES, invoice_id


def test_same_seed_and_index_give_the_same_invoice():
    assert fake_invoice(7, 3) == fake_invoice(7, 3)


def test_invoice_does_not_depend_on_generation_order():
    forward = [fake_invoice(1, i) for i in range(20)]
    backward = [fake_invoice(1, i) for i in reversed(range(20))][::-1]
    assert forward == backward


def test_seed_changes_the_invoices():
    assert [fake_invoice(0, i) for i in range(10)] != [fake_invoice(1, i) for i in range(10)]


def test_invoices_are_stable_across_processes():
    code = "import json; from invoices import fake_invoice; print(json.dumps(fake_invoice(5, 9)))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123"},
        cwd=Path(__file__).parents[2],
    ).stdout
    assert json.loads(out) == fake_invoice(5, 9)


@pytest.mark.parametrize("index", range(0, 200, 7))
def test_fields_look_real_and_stay_small(index):
    invoice = fake_invoice(42, index)
    assert invoice["invoice_id"] == invoice_id(index) == f"INV-{index:06d}"
    assert invoice["customer"]
    assert len(invoice["currency"]) == 3
    assert 1 <= len(invoice["lines"]) <= MAX_LINES
    for line in invoice["lines"]:
        assert isinstance(line["quantity"], int) and line["quantity"] >= 1
        assert isinstance(line["unit_price"], str)
    assert len(json.dumps(invoice)) < 1024  # far below the 45 KB blob threshold


def test_negative_index_is_rejected():
    with pytest.raises(ValueError, match="index"):
        fake_invoice(0, -1)
