"""Near the limit: a fan-out of N=50 against a billing API that answers after L = 200 ms.

Target (issue 4): wall time <= 1.3 x (L + activity time + SDK time of its episodes). A fan-out
posts all invoices at once, so the billing latency should be paid once, not N times; what the
host adds on top must stay within 30 %.
"""

from __future__ import annotations

import asyncio

from benchmarks._harness import Figure, report, run_fan_out
from comparison.console import quiet_app_logs

N = 50
LATENCY_MS = 200
FACTOR = 1.3


def main() -> bool:
    quiet_app_logs()
    c, _ = asyncio.run(run_fan_out(N, LATENCY_MS))
    base = LATENCY_MS / 1000 + c.activity_seconds + c.sdk_seconds
    bound = FACTOR * base
    figures = [
        Figure("fan-out N", f"{N} ({c.episodes} episodes)"),
        Figure("billing latency L", f"{LATENCY_MS} ms"),
        Figure("activity time", f"{c.activity_seconds:.3f} s (summed)"),
        Figure("SDK time", f"{c.sdk_seconds:.3f} s"),
        Figure("L + activity + SDK", f"{base:.3f} s"),
        Figure("wall time", f"{c.wall_seconds:.3f} s ({c.wall_seconds / base:.2f} x)"),
    ]
    return report(
        "Near the limit (fan-out, 200 ms billing latency)",
        figures,
        f"wall <= {FACTOR} x (L + activity + SDK) = {bound:.3f} s",
        c.wall_seconds <= bound,
    )


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
