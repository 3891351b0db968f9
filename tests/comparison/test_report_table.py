"""The table renders one row per orchestrator with the right columns from given run data."""

from __future__ import annotations

import math
from typing import Any

import pytest

from comparison.cost_model import projected_seconds
from comparison.profile import AzureLikeProfile
from comparison.report import COLUMNS, MISSING, build_row, render_table, render_times
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP


def summary(name: str, instance_id: str, episodes: int | None, http: int) -> dict[str, Any]:
    return {
        "instance_id": instance_id,
        "name": name,
        "runtime_status": "Completed",
        "duration_seconds": 1.5,
        "custom_status": {"phase": "posting", "done": 5, "total": 5},
        "replay": {"history_events": 40, "activities": 5, "http_calls": http, "episodes": episodes},
    }


BILLING = {
    "received": 25,
    "distinct_invoices": 5,
    "by_run": {
        "raw": {"received": 15, "distinct_invoices": 5},
        "loop": {"received": 5, "distinct_invoices": 5},
        "fan": {"received": 5, "distinct_invoices": 5},
    },
}


@pytest.fixture
def rows() -> list:
    return [
        build_row(summary(RAW_HTTP_LOOP, "raw", 6, 0), BILLING, 5),
        build_row(summary(CALL_HTTP_LOOP, "loop", 11, 5), BILLING, 5),
        build_row(summary(FAN_OUT_FAN_IN, "fan", 3, 5), BILLING, 5),
    ]


def test_row_takes_billing_counts_from_its_own_run(rows: list) -> None:
    assert [(r.billing_received, r.billing_distinct) for r in rows] == [(15, 5), (5, 5), (5, 5)]
    assert [r.http_calls for r in rows] == [0, 5, 5]
    assert [r.episodes for r in rows] == [6, 11, 3]


def test_projection_charges_raw_calls_as_billing_posts_minus_durable_calls(rows: list) -> None:
    assert rows[0].projected_seconds == pytest.approx(projected_seconds(RAW_HTTP_LOOP, 5))
    assert rows[1].projected_seconds == pytest.approx(projected_seconds(CALL_HTTP_LOOP, 5))


def test_table_has_a_header_with_every_column_and_one_line_per_run(rows: list) -> None:
    lines = render_table(rows).splitlines()
    for column in COLUMNS:
        assert column in lines[0]
    assert set(lines[1]) == {"-", " "}
    assert [line.split()[0] for line in lines[2:5]] == [
        RAW_HTTP_LOOP,
        CALL_HTTP_LOOP,
        FAN_OUT_FAN_IN,
    ]
    # status, episodes, billing POSTs, distinct, non-2xx (not reported here), durable
    assert lines[2].split()[1:] == ["Completed", "6", "15", "5", MISSING, "0"]


def test_both_tables_fit_80_columns_at_the_published_size() -> None:
    big = {
        "by_run": {
            "raw": {"received": 1275, "distinct_invoices": 50},
            "loop": {"received": 50, "distinct_invoices": 50},
        }
    }
    rows = [
        build_row(summary(RAW_HTTP_LOOP, "raw", 51, 0), big, 50, observed_seconds=1234.5),
        build_row(summary(CALL_HTTP_LOOP, "loop", 101, 50), big, 50, observed_seconds=0.05),
    ]
    for text in (render_table(rows), render_times(rows), render_times(rows, AzureLikeProfile())):
        assert max(len(line) for line in text.splitlines()) <= 80, text


def test_a_non_2xx_answer_shows_in_the_table() -> None:
    answered = summary(CALL_HTTP_LOOP, "loop", 11, 5) | {"billing": {"billed": 4, "failed": 1}}
    row = build_row(answered, BILLING, 5)
    assert row.non_2xx == 1
    assert render_table([row]).splitlines()[2].split()[5] == "1"


def test_non_2xx_is_unknown_when_the_run_summary_does_not_say() -> None:
    unreported = summary(RAW_HTTP_LOOP, "loop", 6, 5) | {
        "billing": {"billed": None, "failed": None}
    }
    assert build_row(unreported, BILLING, 5).non_2xx is None


def test_times_under_the_profile_scale_back_to_azure_beside_the_published_run() -> None:
    profile = AzureLikeProfile(time_scale=1 / 50)
    rows = [
        build_row(summary(RAW_HTTP_LOOP, "raw", 51, 0), None, 50, observed_seconds=18.0),
        build_row(summary(CALL_HTTP_LOOP, "loop", 101, 50), None, 50, observed_seconds=2.4),
    ]
    lines = render_times(rows, profile).splitlines()
    assert lines[0].split() == ["orchestrator", "measured", "x50", "(Azure)", "published", "model*"]
    assert lines[2].split()[1:] == ["18.0", "s", "15.0", "min", "15.0", "min", "15.0", "min"]
    assert lines[3].split()[1:5] == ["2.4", "s", "2.0", "min"]
    assert lines[4].split() == ["raw", ":", "call_http", "7.5x", "7.5x", "7.5x"]


def test_published_figures_appear_only_for_the_published_n(rows: list) -> None:
    line = render_times(rows).splitlines()[2]
    assert line.split()[1:4] == ["1.5", "s", "-"]


def test_footnote_says_the_projection_is_a_model(rows: list) -> None:
    text = render_times(rows)
    assert "A model, not a measurement (N=5)" in text
    assert "L = 0.672 s" in text and "D = 0.856 s" in text


def test_host_without_billing_or_episodes_shows_n_a_and_falls_back_to_the_model() -> None:
    row = build_row(summary(RAW_HTTP_LOOP, "x", None, 0), None, 50)
    assert (row.billing_received, row.billing_distinct, row.episodes) == (None, None, None)
    assert row.projected_seconds == pytest.approx(projected_seconds(RAW_HTTP_LOOP, 50))
    line = render_table([row]).splitlines()[2]
    assert line.split().count(MISSING) == 4  # episodes, POSTs, distinct, non-2xx


def test_run_unknown_to_the_billing_api_received_nothing() -> None:
    row = build_row(summary(CALL_HTTP_LOOP, "other", 11, 5), BILLING, 5)
    assert (row.billing_received, row.billing_distinct) == (0, 0)


def test_unknown_orchestrator_gets_no_projection() -> None:
    row = build_row(summary("something_else", "raw", 6, 0), BILLING, 5)
    assert math.isnan(row.projected_seconds)
    assert render_times([row]).splitlines()[2].endswith(MISSING)
