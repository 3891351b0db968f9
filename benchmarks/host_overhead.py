"""Host overhead: a fan-out of N=1000 against a zero-latency billing API.

Target (issue 4): wall time <= 1.25 x (SDK time + activity time + HTTP time), all taken from the
engine's counters of the same run. SDK time is time inside the orchestrator handle (every
episode replays the whole history); activity time is summed over the activities; HTTP time is
the time at least one durable call was in flight (the engine counts the union of the calls'
intervals, so queueing in the connection pool is not counted N times). Whatever wall time is
left is the host's own cost: queues, history building, thread hand-offs.
"""

from __future__ import annotations

import asyncio

from benchmarks._harness import Figure, host_overhead_ratio, report, run_fan_out
from comparison.console import quiet_app_logs

N = 1000
TARGET_RATIO = 1.25


def main() -> bool:
    quiet_app_logs()
    c, _ = asyncio.run(run_fan_out(N, latency_ms=0))
    ratio = host_overhead_ratio(c)
    figures = [
        Figure("fan-out N", f"{N} ({c.episodes} episodes, {c.http_calls} calls)"),
        Figure("wall time", f"{c.wall_seconds:.3f} s"),
        Figure("SDK time", f"{c.sdk_seconds:.3f} s"),
        Figure("activity time", f"{c.activity_seconds:.3f} s (summed over activities)"),
        Figure("HTTP time", f"{c.http_seconds:.3f} s (while any call was in flight)"),
        Figure("wall / (SDK + activity + HTTP)", f"{ratio:.2f}"),
    ]
    return report(
        "Host overhead (fan-out, zero-latency billing)",
        figures,
        f"ratio <= {TARGET_RATIO}",
        ratio <= TARGET_RATIO,
    )


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
