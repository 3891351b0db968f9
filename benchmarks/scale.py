"""Scale: a fan-out of N=10,000 completes; wall time and peak RSS.

Target (issue 4): under 60 s and under 1 GiB on a 2-core machine. The run happens in a child
process so that the peak RSS (``resource.getrusage``) is this run's alone, not the parent's.
Billing latency is 0: this measures the host, and 10,000 calls at once would only wait.
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import time

from benchmarks._harness import Figure, report, run_fan_out
from comparison.console import quiet_app_logs

N = 10_000
TARGET_S = 60.0
TARGET_BYTES = 1 << 30


def peak_rss_bytes() -> int:
    """This process's peak resident set; Linux reports KiB, macOS bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


async def _child(n: int) -> dict[str, float | str]:
    quiet_app_logs()
    began = time.perf_counter()
    c, status = await run_fan_out(n, latency_ms=0, require_completed=False)
    return {
        "status": str(status.get("runtimeStatus")),
        "outputs": len(status.get("output") or []),
        "wall": c.wall_seconds,
        "sdk": c.sdk_seconds,
        "episodes": c.episodes,
        "history_events": c.history_events,
        "process": time.perf_counter() - began,
        "rss": peak_rss_bytes(),
    }


def measure(n: int = N) -> dict[str, float | str]:
    """Run the fan-out in a fresh interpreter and read its one-line JSON report."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale", "--child", str(n)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the scale run exited {done.returncode}: {tail}")
    return json.loads(lines[-1])


def main() -> bool:
    m = measure()
    rss_mib = float(m["rss"]) / (1 << 20)
    figures = [
        Figure("fan-out N", f"{N:,} -> {m['status']}, {m['outputs']:,} output rows"),
        Figure("episodes / history", f"{m['episodes']} / {m['history_events']:,} events"),
        Figure("wall time (instance)", f"{float(m['wall']):.1f} s"),
        Figure("SDK time", f"{float(m['sdk']):.1f} s"),
        Figure("process time (with start-up)", f"{float(m['process']):.1f} s"),
        Figure("peak RSS", f"{rss_mib:.0f} MiB"),
    ]
    met = (
        m["status"] == "Completed"
        and float(m["wall"]) < TARGET_S
        and float(m["rss"]) < TARGET_BYTES
    )
    return report(
        "Scale (fan-out N=10,000, own process)",
        figures,
        f"completes, wall < {TARGET_S:.0f} s, peak RSS < 1 GiB",
        met,
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(asyncio.run(_child(int(sys.argv[2])))))
    else:
        raise SystemExit(0 if main() else 1)
