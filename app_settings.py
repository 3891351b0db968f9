"""Every app setting the code reads, in one place, each with its default.

Only starters, activities and the stand-in billing API read settings. Orchestrators never do:
they must be deterministic, so the starter passes what they need (the billing URL) in as input.
"""

from __future__ import annotations

import os

DEFAULT_INVOICE_API_URL = "http://localhost:7071/api/billing/invoices"
DEFAULT_MAX_INVOICE_COUNT = 1000
DEFAULT_FAKE_BILLING_LATENCY_MS = 100
_TRUE = {"1", "true", "yes", "on"}


def _int_setting(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < minimum:
        raise ValueError(f"app setting {name} must be an integer >= {minimum}, got {raw!r}")
    return int(raw)


def invoice_api_url() -> str:
    """Where orchestrators POST calculated invoices. Never taken from a caller (SSRF)."""
    return os.environ.get("INVOICE_API_URL", "").strip() or DEFAULT_INVOICE_API_URL


def max_invoice_count() -> int:
    """Upper bound for ``count``: keeps histories and fan-outs far below platform limits."""
    return _int_setting("MAX_INVOICE_COUNT", DEFAULT_MAX_INVOICE_COUNT, minimum=1)


def fake_billing_enabled() -> bool:
    """Whether the stand-in billing API routes are registered (off in Azure unless asked)."""
    return os.environ.get("FAKE_BILLING_API_ENABLED", "").strip().lower() in _TRUE


def fake_billing_latency_ms() -> int:
    """How long the stand-in billing API waits before answering, to look like a real API."""
    return _int_setting("FAKE_BILLING_LATENCY_MS", DEFAULT_FAKE_BILLING_LATENCY_MS, minimum=0)
