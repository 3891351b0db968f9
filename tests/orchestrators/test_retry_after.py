"""``Retry-After`` as the billing guard reads it (RFC 9110 §10.2.3): delta-seconds or an
HTTP-date, the date measured from the answer's ``Date`` (else the orchestration's own clock),
a header name in any casing, and a value that .NET may hand over as a list."""

from datetime import UTC, datetime, timedelta

import pytest

from orchestrators.retry_after import retry_after

NOW = datetime(2026, 12, 6, 4, 0, 0)  # context.current_utc_datetime is naive UTC
DATE = "Sun, 06 Dec 2026 03:00:00 GMT"  # the answer's own clock, an hour behind ours


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "3"}, timedelta(seconds=3)),
        ({"retry-after": " 120 "}, timedelta(seconds=120)),
        ({"Retry-After": ["7", "9"]}, timedelta(seconds=7)),  # a .NET multi-value header
        ({"Retry-After": "Sun, 06 Dec 2026 03:00:09 GMT", "Date": DATE}, timedelta(seconds=9)),
        ({"Retry-After": "Sun, 06 Dec 2026 04:00:20 GMT"}, timedelta(seconds=20)),  # from NOW
        ({"Retry-After": "Sun, 06 Dec 2026 02:00:00 GMT", "Date": DATE}, timedelta(0)),  # past
        ({"Retry-After": "9" * 5000}, timedelta(seconds=10**10)),  # huge: capped by the caller
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "-5"}, None),
        ({"Retry-After": "1.5"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_retry_after(headers, wait):
    assert retry_after(headers, NOW) == wait
    assert retry_after(headers, NOW.replace(tzinfo=UTC)) == wait
