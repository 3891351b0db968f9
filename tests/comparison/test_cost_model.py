"""The cost model reproduces the published figures and follows the replay rules for other N."""

from __future__ import annotations

import math

import pytest

from comparison.cost_model import (
    DEFAULT_PARAMS,
    Counts,
    ModelParams,
    calibrate,
    expected_counts,
    format_duration,
    projected_seconds,
)
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP


def test_defaults_reproduce_the_published_15_minutes_for_the_anti_pattern() -> None:
    assert projected_seconds(RAW_HTTP_LOOP, 50) / 60 == pytest.approx(15, abs=1)


def test_defaults_reproduce_the_published_2_minutes_for_the_call_http_loop() -> None:
    assert projected_seconds(CALL_HTTP_LOOP, 50) / 60 == pytest.approx(2, abs=0.5)


def test_calibration_solves_the_two_published_equations() -> None:
    latency, dispatch = calibrate()
    assert 1275 * latency + 51 * dispatch == pytest.approx(900)
    assert 50 * latency + 101 * dispatch == pytest.approx(120)
    assert DEFAULT_PARAMS.call_latency_s == pytest.approx(latency, abs=0.001)
    assert DEFAULT_PARAMS.episode_dispatch_s == pytest.approx(dispatch, abs=0.001)


@pytest.mark.parametrize("n", [1, 5, 20, 50, 200])
def test_expected_counts_follow_the_replay_rules(n: int) -> None:
    assert expected_counts(RAW_HTTP_LOOP, n) == Counts(n * (n + 1) // 2, 0, n + 1, n)
    assert expected_counts(CALL_HTTP_LOOP, n) == Counts(0, n, 2 * n + 1, n)
    assert expected_counts(FAN_OUT_FAN_IN, n) == Counts(0, n, 3, n)


def test_fan_out_batches_add_two_episodes_each() -> None:
    assert expected_counts(FAN_OUT_FAN_IN, 50, max_parallel=10).episodes == 11


@pytest.mark.parametrize("n", [5, 20, 100, 200])
def test_formula_for_other_n(n: int) -> None:
    p = ModelParams(call_latency_s=0.5, episode_dispatch_s=2.0, activity_s=0.1, parallelism=4)
    raw = 0.5 * n * (n + 1) / 2 + 2.0 * (n + 1) + 0.1 * n
    call_http = 0.5 * n + 2.0 * (2 * n + 1) + 0.1 * n
    fan_out = 0.5 * math.ceil(n / 4) + 2.0 * 3 + 0.1 * math.ceil(n / 4)
    assert projected_seconds(RAW_HTTP_LOOP, n, params=p) == pytest.approx(raw)
    assert projected_seconds(CALL_HTTP_LOOP, n, params=p) == pytest.approx(call_http)
    assert projected_seconds(FAN_OUT_FAN_IN, n, params=p) == pytest.approx(fan_out)


def test_measured_counts_replace_the_prediction() -> None:
    measured = Counts(raw_calls=10, http_calls=0, episodes=4, activities=3)
    assert projected_seconds(RAW_HTTP_LOOP, 3, measured) == pytest.approx(
        10 * DEFAULT_PARAMS.call_latency_s + 4 * DEFAULT_PARAMS.episode_dispatch_s
    )


def test_the_anti_pattern_grows_quadratically_and_the_fixes_do_not() -> None:
    ratio_raw = projected_seconds(RAW_HTTP_LOOP, 200) / projected_seconds(RAW_HTTP_LOOP, 100)
    ratio_fix = projected_seconds(CALL_HTTP_LOOP, 200) / projected_seconds(CALL_HTTP_LOOP, 100)
    assert ratio_raw > 3.5
    assert ratio_fix == pytest.approx(2, abs=0.05)


def test_unknown_orchestrator_is_rejected_by_name() -> None:
    with pytest.raises(ValueError, match="unknown orchestrator 'nope'"):
        expected_counts("nope", 5)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.85, "850 ms"), (12.34, "12.3 s"), (900.5, "15.0 min"), (7560, "2.1 h")],
)
def test_durations_are_human_sized(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
