"""The facts the app, its callers and its tests share, each written once.

Function names are what the Functions host registers (the ``def`` names in ``orchestrators/``
and ``activities/``; ``tests/test_function_app_indexes.py`` keeps them equal). Header names are
what a billing POST carries. ``parse_whole_number`` is the one reader of integers that people
type: settings, query strings and command lines.
"""

from __future__ import annotations

import re

RAW_HTTP_LOOP = "raw_http_loop"
CALL_HTTP_LOOP = "call_http_loop"
FAN_OUT_FAN_IN = "fan_out_fan_in"
ORCHESTRATORS = (RAW_HTTP_LOOP, CALL_HTTP_LOOP, FAN_OUT_FAN_IN)  # the order of the lesson
CALCULATE_INVOICE = "calculate_invoice"

RUN_ID_HEADER = "X-Run-Id"  # lets the billing API count per run
# The embedded host's counters of one instance, relative to the client binding's rpcBaseUrl
# (devhost/http/durable_api.py `COUNTERS`; tests/devhost/test_durable_api_runtime_rules.py keeps the
# two equal). The real host answers it with 404.
DEVHOST_COUNTERS_PATH = "devhost/instances/{instance_id}/counters"
# Same key, same charge: draft-ietf-httpapi-idempotency-key-header, as payment APIs use it.
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"

# A run that could not bill every invoice fails with a message that ends with this marker and a
# JSON report {"billed", "failed", "rows"}, for people; /api/runs/{id} never parses it (any text
# can carry it, a terminate reason too) and counts from history instead.
BILLING_REPORT_MARKER = " Report: "

# ASCII digits only, no sign, no spaces, no "_", no leading zeros, at most 19 digits:
# int() accepts all of those (and Arabic-Indic digits), so it is never given raw input.
_WHOLE_NUMBER = re.compile(r"0|[1-9][0-9]{0,18}")


def parse_whole_number(text: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """``text`` as an int in [minimum, maximum]; ``ValueError`` with a message that never
    echoes ``text`` (it may be hostile or huge)."""
    allowed = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValueError(f"must be a whole number written with ASCII digits only, {allowed}")
    value = int(text)
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"must be {allowed}")
    return value
