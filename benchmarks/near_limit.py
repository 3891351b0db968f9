"""Near the limit: a fan-out of N=50 against a billing API that answers after L = 200 ms.

Target (issue 4): wall time <= 1.3 x (L + activity time + SDK time of its episodes). A fan-out
posts all invoices at once, so the billing latency should be paid once, not N times; what the
host adds on top must stay within 30 %.
"""

from __future__ import annotations

import asyncio

from benchmarks._harness import Figure, app_host, machine, print_result, quiet_logs, run_once

N = 50
LATENCY_MS = 200
FACTOR = 1.3


async def measure(n: int = N, latency_ms: int = LATENCY_MS) -> dict[str, float]:
    async with app_host(latency_ms=latency_ms, max_count=n) as host:
        _, c, status = await run_once(host, "fan_out_fan_in", n)
    if status.get("runtimeStatus") != "Completed":
        raise RuntimeError(f"fan_out_fan_in ended {status.get('runtimeStatus')}")
    bound = FACTOR * (latency_ms / 1000 + c.activity_seconds + c.sdk_seconds)
    return {
        "wall": c.wall_seconds,
        "sdk": c.sdk_seconds,
        "activity": c.activity_seconds,
        "bound": bound,
        "episodes": c.episodes,
    }


def main() -> bool:
    quiet_logs()
    m = asyncio.run(measure())
    base = m["bound"] / FACTOR
    figures = [
        Figure("machine", machine()),
        Figure("fan-out N", f"{N} ({m['episodes']:.0f} episodes)"),
        Figure("billing latency L", f"{LATENCY_MS} ms"),
        Figure("activity time", f"{m['activity']:.3f} s (summed)"),
        Figure("SDK time", f"{m['sdk']:.3f} s"),
        Figure("L + activity + SDK", f"{base:.3f} s"),
        Figure("wall time", f"{m['wall']:.3f} s ({m['wall'] / base:.2f} x)"),
    ]
    met = m["wall"] <= m["bound"]
    print_result(
        "Near the limit (fan-out, 200 ms billing latency)",
        figures,
        f"wall <= {FACTOR} x (L + activity + SDK) = {m['bound']:.3f} s",
        met,
    )
    return met


if __name__ == "__main__":
    main()
