"""Run every benchmark in turn and print a summary (``make bench``).

Each benchmark's ``main()`` prints its figures, target and verdict and returns whether the
target is met, or None when it could not run here and said why (the peer benchmark without the
package index). This runner adds a one-line summary per benchmark (``python -m benchmarks scale
host_overhead`` runs only those). It exits 1 only when a benchmark could not run, never because
a target was missed: speed depends on the machine and belongs in the README, not in a red build.
"""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = (
    "benchmarks.model_exact",
    "benchmarks.host_overhead",
    "benchmarks.strict_overhead",
    "benchmarks.near_limit",
    "benchmarks.scale",
    "benchmarks.memory_flat",
    "benchmarks.catch_up",
    "benchmarks.lint_speed",
    "benchmarks.peer_durabletask",
)


def main(names: list[str] | None = None) -> int:
    summary: list[tuple[str, str, float]] = []
    broken = False
    for module_name in BENCHMARKS:
        short = module_name.rsplit(".", 1)[1]
        if names and short not in names:
            continue
        began = time.perf_counter()
        try:
            met = importlib.import_module(module_name).main()
            verdict = "skipped" if met is None else "met" if met else "NOT MET"
        except Exception as exc:  # report and go on: one broken benchmark hides no others
            print(f"\n== {short}: could not run: {exc}", file=sys.stderr)
            verdict, broken = "error", True
        summary.append((short, verdict, time.perf_counter() - began))
    print("\n== Summary")
    for short, verdict, seconds in summary:
        print(f"  {short:<15} {verdict:<8} {seconds:6.1f} s")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
