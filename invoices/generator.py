"""Seeded fake invoices.

Invoice ``i`` is a pure function of ``(seed, i)``: its own ``random.Random`` is seeded from both,
so any invoice can be rebuilt on any machine, in any order, and in any replay of an orchestrator,
without generating the ones before it. Payloads stay well under the 45 KB limit above which
Durable Functions moves messages to blob storage (at most 5 short line items).
"""

from __future__ import annotations

import random
from typing import Any

CUSTOMERS = (
    "Contoso Ltd",
    "Fabrikam Inc",
    "Northwind Traders",
    "Adventure Works",
    "Tailspin Toys",
    "Woodgrove Bank",
    "Litware Inc",
    "Proseware Inc",
)
CURRENCIES = ("EUR", "USD", "GBP", "SEK")
PRODUCTS = (
    "Consulting hour",
    "Support plan",
    "Cloud credits",
    "Training seat",
    "License renewal",
    "Hardware kit",
    "Travel expenses",
)
TAX_RATES = ("0.00", "0.06", "0.12", "0.20", "0.25")
MAX_LINES = 5

Invoice = dict[str, Any]


def invoice_id(index: int) -> str:
    """The id of invoice ``index``, as people would read it: ``INV-000042``."""
    return f"INV-{index:06d}"


def fake_invoice(seed: int, index: int) -> Invoice:
    """Build invoice ``index`` for ``seed``. Same arguments, same invoice, everywhere."""
    if index < 0:
        raise ValueError(f"invoice index must be >= 0, got {index}")
    # A string seed is hashed with SHA-512 by `random`, so it is stable across processes
    # (unlike hash()), and (seed, index) pairs never collide.
    rng = random.Random(f"durable-invoices:{seed}:{index}")
    lines = [
        {
            "description": rng.choice(PRODUCTS),
            "quantity": rng.randint(1, 20),
            "unit_price": f"{rng.randint(100, 99_999) / 100:.2f}",
        }
        for _ in range(rng.randint(1, MAX_LINES))
    ]
    return {
        "invoice_id": invoice_id(index),
        "customer": rng.choice(CUSTOMERS),
        "currency": rng.choice(CURRENCIES),
        "tax_rate": rng.choice(TAX_RATES),
        "lines": lines,
    }
