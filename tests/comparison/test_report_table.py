"""The tables (report.py: what each run did; times.py: how long) from given run data."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from comparison.cost_model import projected_seconds
from comparison.host_time import HostTime
from comparison.profile import AzureLikeProfile
from comparison.report import COLUMNS, MISSING, build_row, render_sweep, render_table
from comparison.times import render_host_time, render_times
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


def test_times_under_the_profile_scale_back_only_what_it_emulates() -> None:
    profile = AzureLikeProfile(time_scale=1 / 50)
    raw = build_row(summary(RAW_HTTP_LOOP, "raw", 51, 0), None, 50, observed_seconds=18.0)
    loop = build_row(summary(CALL_HTTP_LOOP, "loop", 101, 50), None, 50, observed_seconds=2.4)
    rows = [
        dataclasses.replace(raw, host=HostTime(18.0, 16.0, (0.0,) * 51, 1275)),
        dataclasses.replace(loop, host=HostTime(2.4, 2.38, (0.0,) * 101, 0)),
    ]
    lines = render_times(rows, profile).splitlines()
    assert lines[0].split() == [
        "orchestrator", "at", "1/50", "host's", "own", "x50:", "L,", "D", "Azure,", "post",
        "Azure,", "model*",
    ]  # fmt: skip
    # 18.0 s = 16.0 s emulated (x50: 800 s) + 2.0 s of the host's own, which is not scaled
    assert lines[2].split()[1:] == ["18.0", "s", "2.0", "s", "13.3", "min"] + ["15.0", "min"] * 2
    assert lines[3].split()[1:7] == ["2.4", "s", "20", "ms", "2.0", "min"]
    assert lines[4].split() == ["raw", ":", "call_http", "7.5x", "6.7x", "7.5x", "7.5x"]
    assert "at 1/50: each run alone on the embedded host" in "\n".join(lines)
    assert max(len(line) for line in lines) <= 80


def test_compare_names_the_base_of_each_column(rows: list) -> None:
    text = render_times(rows, measured_on="http://localhost:7071")
    header = text.splitlines()[0].split()
    assert header == ["orchestrator", "this", "host", "Azure,", "post", "Azure,", "model*"]
    assert "this host: measured on http://localhost:7071," in text
    assert "Azure, post: the published run." in text
    assert "Azure, model*: a model, not a measurement (N=5)" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_host_time_is_shown_per_raw_post_for_the_anti_pattern_and_per_episode_otherwise(
    rows: list,
) -> None:
    raw, loop, fan = rows
    text = render_host_time(
        [
            dataclasses.replace(raw, host=HostTime(1.0, 0.4, (0.0, 0.1, 0.2, 0.3), 6)),
            dataclasses.replace(loop, host=HostTime(0.5, 0.45, (0.01,) * 10, 0)),
            fan,  # no split: not shown
        ]
    ).splitlines()
    assert " ".join(text[1].split()) == f"{RAW_HTTP_LOOP} 0.60 s 100.0 ms per raw POST (6 POSTs)"
    assert text[2].split()[:6] == [CALL_HTTP_LOOP, "0.05", "s", "5.0", "ms", "per"]
    assert len(text) == 3


def test_the_sweep_marks_a_count_off_the_replay_rules_and_says_what_was_expected(
    rows: list,
) -> None:
    raw, loop, fan = rows  # N=5: 15 / 6, 5 / 11, 5 / 3
    off = dataclasses.replace(raw, billing_received=14)
    lines = render_sweep([off, loop, fan], [5]).splitlines()
    assert lines[2].split() == ["5", "14", "/", "6", "!", "5", "/", "11", "5", "/", "3"]
    assert lines[3] == f"! {RAW_HTTP_LOOP} at N=5: expected 15 / 6"
    assert len(lines) == 4
    assert render_sweep(rows, [5]).count("!") == 1  # only the header's explanation


def test_published_figures_appear_only_for_the_published_n(rows: list) -> None:
    line = render_times(rows).splitlines()[2]
    assert line.split()[1:4] == ["1.5", "s", "-"]


def test_footnote_says_the_projection_is_a_model(rows: list) -> None:
    text = render_times(rows)
    assert "Azure, model*: a model, not a measurement (N=5)" in text
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
