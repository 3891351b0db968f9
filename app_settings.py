"""Every app setting the code reads, in one place: its name, its default and its reader.

Only starters, activities and the stand-in billing API read settings. Orchestrators never do:
they must be deterministic, so the ``calculate_invoice`` activity hands them the billing target
and its limits (``billing_target``), and history records them.
"""

from __future__ import annotations

import os
from typing import Any

from contract import parse_whole_number

INVOICE_API_URL = "INVOICE_API_URL"
MAX_INVOICE_COUNT = "MAX_INVOICE_COUNT"
INVOICE_API_MAX_ATTEMPTS = "INVOICE_API_MAX_ATTEMPTS"
INVOICE_API_RETRY_INTERVAL_MS = "INVOICE_API_RETRY_INTERVAL_MS"
FAKE_BILLING_API_ENABLED = "FAKE_BILLING_API_ENABLED"
FAKE_BILLING_LATENCY_MS = "FAKE_BILLING_LATENCY_MS"

DEFAULT_INVOICE_API_URL = "http://localhost:7071/api/billing/invoices"
DEFAULT_MAX_INVOICE_COUNT = 1000
DEFAULT_INVOICE_API_MAX_ATTEMPTS = 5
DEFAULT_INVOICE_API_RETRY_INTERVAL_MS = 1000
DEFAULT_FAKE_BILLING_LATENCY_MS = 100
# What the starters answer (503) and a run started another way fails with, when there is no
# billing target: a fresh Azure deployment without INVOICE_API_URL and without the stand-in.
MISSING_BILLING_TARGET = (
    f"No billing target: the app setting {INVOICE_API_URL} is not set and the stand-in billing"
    f" API is off ({FAKE_BILLING_API_ENABLED}). Set {INVOICE_API_URL} to the billing API's"
    " final https address."
)
_TRUE = {"1", "true", "yes", "on"}


def _int_setting(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse_whole_number(raw, minimum=minimum)
    except ValueError as exc:
        raise ValueError(f"app setting {name} {exc}") from None


def invoice_api_url() -> str | None:
    """Where orchestrators POST calculated invoices. Never taken from a caller (SSRF).

    Unset, it is the stand-in billing API's local route when the stand-in is on, and None (no
    target: nothing starts, see ``MISSING_BILLING_TARGET``) when it is off.
    """
    url = os.environ.get(INVOICE_API_URL, "").strip()
    if url:
        return url
    return DEFAULT_INVOICE_API_URL if fake_billing_enabled() else None


def max_invoice_count() -> int:
    """Upper bound for ``count``: keeps histories and fan-outs far below platform limits."""
    return _int_setting(MAX_INVOICE_COUNT, DEFAULT_MAX_INVOICE_COUNT, minimum=1)


def invoice_api_max_attempts() -> int:
    """Attempts per invoice for the two fixes (1 = no retry); the anti-pattern never retries."""
    return _int_setting(INVOICE_API_MAX_ATTEMPTS, DEFAULT_INVOICE_API_MAX_ATTEMPTS, minimum=1)


def invoice_api_retry_interval_ms() -> int:
    """The first back-off before a retry; it doubles with every further attempt."""
    return _int_setting(
        INVOICE_API_RETRY_INTERVAL_MS, DEFAULT_INVOICE_API_RETRY_INTERVAL_MS, minimum=0
    )


def billing_target() -> dict[str, Any]:
    """What an orchestrator needs from settings, as the activity returns it into history;
    ``url`` is None when there is no billing target."""
    return {
        "url": invoice_api_url(),
        "max_count": max_invoice_count(),
        "max_attempts": invoice_api_max_attempts(),
        "retry_interval_ms": invoice_api_retry_interval_ms(),
    }


def fake_billing_enabled() -> bool:
    """Whether the stand-in billing API routes are registered (off in Azure unless asked)."""
    return os.environ.get(FAKE_BILLING_API_ENABLED, "").strip().lower() in _TRUE


def fake_billing_latency_ms() -> int:
    """How long the stand-in billing API waits before answering, to look like a real API."""
    return _int_setting(FAKE_BILLING_LATENCY_MS, DEFAULT_FAKE_BILLING_LATENCY_MS, minimum=0)
