"""The Azure-like profile: the cost model's L and D, scaled, and wall times scaled back."""

import pytest

from comparison.cost_model import DEFAULT_PARAMS, PUBLISHED_RAW_SECONDS
from comparison.profile import AzureLikeProfile
from comparison.results import raw_call_seconds


def test_default_profile_is_the_cost_model_at_one_fiftieth() -> None:
    profile = AzureLikeProfile()
    assert profile.time_scale == pytest.approx(1 / 50)
    assert (profile.call_latency_s, profile.episode_cost_s) == (0.672, 0.856)
    assert profile.billing_latency_ms == 13  # 13.44 ms: the setting takes whole milliseconds
    assert profile.scaled_episode_cost_s == pytest.approx(0.01712)


def test_a_wall_time_scales_back_to_azure() -> None:
    assert AzureLikeProfile(time_scale=1 / 50).azure_seconds(18.0) == pytest.approx(900.0)
    assert AzureLikeProfile(time_scale=1 / 10).azure_seconds(90.0) == PUBLISHED_RAW_SECONDS


def test_profile_json_keeps_the_azure_values_and_what_was_applied() -> None:
    profile = AzureLikeProfile(time_scale=1 / 20)
    assert profile.as_json() == {
        "time_scale": 0.05,
        "L_s": DEFAULT_PARAMS.call_latency_s,
        "D_s": DEFAULT_PARAMS.episode_dispatch_s,
        "billing_latency_ms": 34,
        "episode_cost_ms": 42.8,
    }


def test_one_raw_call_costs_the_slope_of_the_anti_patterns_episodes() -> None:
    # episode k replays k raw POSTs of 13.4 ms each on top of a 17 ms episode
    walls = [0.017 + 0.0134 * k for k in range(51)]
    assert raw_call_seconds(walls) == pytest.approx(0.0134)
    assert raw_call_seconds([0.017, 0.03]) is None  # too few episodes for a slope
