"""The wall time splits into what the profile emulates (scaled back) and the host's own work.

Arithmetic only: the counters are built here with a known host cost, no run is timed.
"""

from __future__ import annotations

import pytest

from comparison.host_time import AppliedProfile, split_host_time
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP

L, D = 0.013, 0.017  # what the default profile applies at 1/50: 13 ms per POST, 17 ms per episode
APPLIED = AppliedProfile(latency_s=L, episode_cost_s=D, http_parallelism=100)
PER_POST = 0.004  # the host's own work per raw POST, built into the walls below


def anti_pattern_walls(n: int = 50) -> list[float]:
    """Episode k makes k raw POSTs of L each plus the host's PER_POST; at least D."""
    return [max(D, k * (L + PER_POST)) for k in range(n + 1)]


def test_the_anti_patterns_host_work_is_what_its_raw_posts_add_beyond_l() -> None:
    walls = anti_pattern_walls()
    split = split_host_time(RAW_HTTP_LOOP, sum(walls) + 0.25, walls, 0, APPLIED)
    # episodes 0 and 1 are held to D (13 + 4 ms fits in 17 ms); episode k >= 2 waits k L
    assert split.emulated_s == pytest.approx(2 * D + L * (1275 - 1))
    assert split.raw_posts == 1275
    assert split.episode_host_s[0] == split.episode_host_s[1] == 0
    assert split.episode_host_s[50] == pytest.approx(50 * PER_POST)
    assert split.host_s == pytest.approx(PER_POST * (1275 - 1) + 0.25)
    assert split.per_raw_post_s == pytest.approx(PER_POST * 1274 / 1275)
    assert split.per_episode_s == pytest.approx(split.host_s / 51)


def test_the_call_http_loop_waits_d_per_episode_and_l_per_call_in_a_row() -> None:
    walls = [D + 0.001] * 101  # 1 ms of the host's own beyond D per episode
    gaps = 50 * (L + 0.002) + 50 * 0.0005  # HTTP rounds and activity rounds between episodes
    split = split_host_time(CALL_HTTP_LOOP, sum(walls) + gaps, walls, 50, APPLIED)
    assert split.emulated_s == pytest.approx(101 * D + 50 * L)
    assert split.host_s == pytest.approx(101 * 0.001 + 50 * 0.002 + 50 * 0.0005)
    assert split.per_raw_post_s is None
    assert split.per_episode_s == pytest.approx(split.host_s / 101)


def test_the_fan_out_waits_one_round_of_l_for_all_its_calls() -> None:
    walls = [D, D, D]
    split = split_host_time(FAN_OUT_FAN_IN, 3 * D + L + 0.01, walls, 50, APPLIED)
    assert split.emulated_s == pytest.approx(3 * D + L)
    assert split.host_s == pytest.approx(0.01)
    narrow = AppliedProfile(latency_s=L, episode_cost_s=D, http_parallelism=10)
    assert split_host_time(FAN_OUT_FAN_IN, 1.0, walls, 50, narrow).emulated_s == pytest.approx(
        3 * D + 5 * L
    )


def test_the_emulated_part_does_not_depend_on_the_hosts_load() -> None:
    quiet, busy = anti_pattern_walls(), [w * 1.5 for w in anti_pattern_walls()]
    a = split_host_time(RAW_HTTP_LOOP, sum(quiet), quiet, 0, APPLIED)
    b = split_host_time(RAW_HTTP_LOOP, sum(busy), busy, 0, APPLIED)
    assert a.emulated_s == b.emulated_s
    assert b.host_s == pytest.approx(a.host_s + sum(quiet) * 0.5)
