"""`--strict` overhead: the host-overhead fan-out, with and without `--strict`, side by side.

Target (issue 13): with `--strict` on, the host-overhead ratio (wall / (SDK + activity + HTTP),
see host_overhead.py) stays <= 1.25, and the run's wall time is at most 1.25 x the same run
without it. The runs alternate (off, on, off, on, ...) so both see the same machine load; the
figures are the medians. `--strict` watches only while orchestrator code runs, so the cost is
the profile hook over the user's own code between yields, plus one lookup per audit event.
"""

from __future__ import annotations

import asyncio
import statistics

from benchmarks._harness import Figure, host_overhead_ratio, report, run_fan_out
from comparison.console import quiet_app_logs
from devhost.replay.counters import InstanceCounters

N = 1000
ROUNDS = 5
TARGET_RATIO = 1.25


async def _runs() -> tuple[list[InstanceCounters], list[InstanceCounters]]:
    plain: list[InstanceCounters] = []
    strict: list[InstanceCounters] = []
    await run_fan_out(N, latency_ms=0)  # warm-up: imports, first connections
    for _ in range(ROUNDS):
        plain.append((await run_fan_out(N, latency_ms=0))[0])
        counters, _ = await run_fan_out(N, latency_ms=0, strict="fail")
        if counters.strict_findings:
            raise RuntimeError(f"--strict reported the fan-out: {counters.strict_findings}")
        strict.append(counters)
    return plain, strict


def main() -> bool:
    quiet_app_logs()
    plain, strict = asyncio.run(_runs())
    wall_off = statistics.median(c.wall_seconds for c in plain)
    wall_on = statistics.median(c.wall_seconds for c in strict)
    sdk_off = statistics.median(c.sdk_seconds for c in plain)
    sdk_on = statistics.median(c.sdk_seconds for c in strict)
    overhead_off = statistics.median(host_overhead_ratio(c) for c in plain)
    overhead_on = statistics.median(host_overhead_ratio(c) for c in strict)
    slowdown = wall_on / wall_off
    figures = [
        Figure("fan-out N", f"{N}, {ROUNDS} rounds each, alternating (medians)"),
        Figure("wall time off / on", f"{wall_off:.3f} s / {wall_on:.3f} s"),
        Figure("SDK time off / on", f"{sdk_off:.3f} s / {sdk_on:.3f} s"),
        Figure("host overhead off / on", f"{overhead_off:.2f} / {overhead_on:.2f}"),
        Figure("wall on / wall off", f"{slowdown:.2f}"),
    ]
    return report(
        "--strict overhead (fan-out, zero-latency billing, --strict=fail)",
        figures,
        f"host overhead with --strict <= {TARGET_RATIO} and wall on / off <= {TARGET_RATIO}",
        overhead_on <= TARGET_RATIO and slowdown <= TARGET_RATIO,
    )


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
