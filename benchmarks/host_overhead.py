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

from benchmarks._harness import Figure, app_host, machine, print_result, quiet_logs, run_once

N = 1000
TARGET_RATIO = 1.25


async def measure(n: int = N) -> dict[str, float]:
    async with app_host(latency_ms=0, max_count=n) as host:
        _, c, status = await run_once(host, "fan_out_fan_in", n)
    if status.get("runtimeStatus") != "Completed":
        raise RuntimeError(f"fan_out_fan_in ended {status.get('runtimeStatus')}")
    work = c.sdk_seconds + c.activity_seconds + c.http_seconds
    return {
        "wall": c.wall_seconds,
        "sdk": c.sdk_seconds,
        "activity": c.activity_seconds,
        "http": c.http_seconds,
        "work": work,
        "ratio": c.wall_seconds / work if work else float("inf"),
        "episodes": c.episodes,
        "http_calls": c.http_calls,
    }


def main() -> bool:
    quiet_logs()
    m = asyncio.run(measure())
    figures = [
        Figure("machine", machine()),
        Figure("fan-out N", f"{N} ({m['episodes']:.0f} episodes, {m['http_calls']:.0f} calls)"),
        Figure("wall time", f"{m['wall']:.3f} s"),
        Figure("SDK time", f"{m['sdk']:.3f} s"),
        Figure("activity time", f"{m['activity']:.3f} s (summed over activities)"),
        Figure("HTTP time", f"{m['http']:.3f} s (while any call was in flight)"),
        Figure("wall / (SDK + activity + HTTP)", f"{m['ratio']:.2f}"),
    ]
    met = m["ratio"] <= TARGET_RATIO
    print_result(
        "Host overhead (fan-out, zero-latency billing)",
        figures,
        f"ratio <= {TARGET_RATIO}",
        met,
    )
    return met


if __name__ == "__main__":
    main()
