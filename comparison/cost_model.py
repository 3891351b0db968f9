"""A cost model that projects how long each orchestrator would take on Azure.

This is a *model*, not a measurement. The embedded host runs on loopback, where an HTTP call
costs a millisecond and a new episode costs nothing; on Azure (Azure Storage backend, the blog's
setup) both are slow. The model charges each run for what it does, using the counts that the
host reports or that the replay rules predict:

    T = L * (R + S_http) + D * E + A * S_act

    R      raw HTTP calls made inside the orchestrator (each replay repeats them all)
    S_http durable HTTP calls on the critical path (sequential rounds of ``call_http``)
    E      episodes: one orchestrator replay per batch of new messages
    S_act  activity rounds on the critical path
    L      latency of one HTTP call to the billing API (the blog called httpbin.org)
    D      dispatch latency of one episode: queue polling, loading history, replaying
    A      run time of one activity (calculate_invoice is microseconds of compute; its queue
           round trip is already in D, because each completion starts an episode)

Calibration. At N = 50 the anti-pattern makes R = N(N+1)/2 = 1,275 raw calls in E = N+1 = 51
episodes, and took 15 min (900 s) in the published post; the ``call_http`` loop makes 50 durable
calls in E = 2N+1 = 101 episodes and took about 2 min (120 s). With A = 0:

    1275 L +  51 D = 900
      50 L + 101 D = 120

    D = (120 - 50 L) / 101
    1275 L + 51 (120 - 50 L) / 101 = 900
    L (1275 - 2550/101) = 900 - 6120/101
    L = 84,780 / 126,225 = 628/935 = 0.6717 s     D = (120 - 50 L) / 101 = 160/187 = 0.8556 s

The defaults round these to the millisecond (L = 0.672 s, D = 0.856 s), which reproduces
900.5 s (15.0 min) and 120.1 s (2.0 min). Unfitted check: pass k of the anti-pattern costs
D + k L, so the 50th pass projects 34.5 s against the published "up to 35 s".

Parallelism. A fan-out runs its activities and HTTP calls side by side, but the Durable
extension throttles activities (``BuiltIn::HttpActivity`` included) to
``maxConcurrentActivityFunctions``, 10 on the Consumption plan. So a fan-out of N calls costs
ceil(N / P) rounds, with P = min(max_parallel, parallelism).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, ORCHESTRATORS, RAW_HTTP_LOOP

PUBLISHED_N = 50
PUBLISHED_RAW_SECONDS = 15 * 60.0
PUBLISHED_CALL_HTTP_SECONDS = 2 * 60.0
PUBLISHED_RATIO = PUBLISHED_RAW_SECONDS / PUBLISHED_CALL_HTTP_SECONDS  # anti-pattern : call_http
# The published anti-pattern's passes: "started at ~850 ms" and grew "up to ~35 s" each.
PUBLISHED_FIRST_PASS_SECONDS = 0.85
PUBLISHED_LAST_PASS_SECONDS = 35.0
PUBLISHED_SECONDS = {
    RAW_HTTP_LOOP: PUBLISHED_RAW_SECONDS,
    CALL_HTTP_LOOP: PUBLISHED_CALL_HTTP_SECONDS,
}


@dataclass(frozen=True)
class ModelParams:
    """The model's parameters, in seconds; the defaults are calibrated on the published run."""

    call_latency_s: float = 0.672
    episode_dispatch_s: float = 0.856
    activity_s: float = 0.0
    parallelism: int = 10


DEFAULT_PARAMS = ModelParams()


@dataclass(frozen=True)
class Counts:
    """What one run of an orchestrator costs, in the units the model charges for."""

    raw_calls: int
    http_calls: int
    episodes: int
    activities: int


def calibrate(
    n: int = PUBLISHED_N,
    raw_seconds: float = PUBLISHED_RAW_SECONDS,
    call_http_seconds: float = PUBLISHED_CALL_HTTP_SECONDS,
) -> tuple[float, float]:
    """Solve the two calibration equations for (L, D) with A = 0; see the module docstring."""
    r, e1 = n * (n + 1) // 2, n + 1  # anti-pattern: raw calls, episodes
    h, e2 = n, 2 * n + 1  # call_http loop: durable calls, episodes
    det = r * e2 - e1 * h
    latency = (raw_seconds * e2 - e1 * call_http_seconds) / det
    dispatch = (r * call_http_seconds - h * raw_seconds) / det
    return latency, dispatch


def expected_counts(name: str, n: int, max_parallel: int | None = None) -> Counts:
    """The counts the replay rules predict, with all-ready batching (the embedded host's default).

    - ``raw_http_loop``: episode k replays k raw calls, so N(N+1)/2 in total; N+1 episodes.
    - ``call_http_loop``: an activity, then a durable call, per invoice; 2N+1 episodes.
    - ``fan_out_fan_in``: all activities, then all calls; at most 3 episodes (1 + 2 per batch).
    """
    if name == RAW_HTTP_LOOP:
        return Counts(raw_calls=n * (n + 1) // 2, http_calls=0, episodes=n + 1, activities=n)
    if name == CALL_HTTP_LOOP:
        return Counts(raw_calls=0, http_calls=n, episodes=2 * n + 1, activities=n)
    if name == FAN_OUT_FAN_IN:
        batches = math.ceil(n / max_parallel) if max_parallel else 1
        return Counts(raw_calls=0, http_calls=n, episodes=1 + 2 * batches, activities=n)
    raise ValueError(f"unknown orchestrator {name!r}; expected one of {', '.join(ORCHESTRATORS)}")


def raw_calls_per_episode(name: str, episodes: int) -> list[int]:
    """Raw calls each episode makes under the replay rules: episode k of ``raw_http_loop``
    replays the k POSTs made so far (0 in the first), the fixes make none."""
    return [k if name == RAW_HTTP_LOOP else 0 for k in range(episodes)]


def critical_rounds(name: str, calls: int, max_parallel: int | None, parallelism: int) -> int:
    """How many of ``calls`` run one after another on the critical path."""
    if name != FAN_OUT_FAN_IN or calls == 0:
        return calls
    width = max(1, min(max_parallel or calls, parallelism))
    return math.ceil(calls / width)


def projected_seconds(
    name: str,
    n: int,
    counts: Counts | None = None,
    *,
    max_parallel: int | None = None,
    params: ModelParams = DEFAULT_PARAMS,
) -> float:
    """Projected time on Azure for one run: T = L (R + S_http) + D E + A S_act.

    ``counts`` are the measured ones when the host reports them; without them the replay
    rules' prediction (``expected_counts``) is used.
    """
    counts = counts or expected_counts(name, n, max_parallel)
    width = (max_parallel, params.parallelism)
    http_rounds = critical_rounds(name, counts.http_calls, *width)
    activity_rounds = critical_rounds(name, counts.activities, *width)
    return (
        params.call_latency_s * (counts.raw_calls + http_rounds)
        + params.episode_dispatch_s * counts.episodes
        + params.activity_s * activity_rounds
    )


def format_duration(seconds: float) -> str:
    """Human-sized durations for the table: 850 ms, 12.3 s, 15.0 min, 2.1 h."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"
