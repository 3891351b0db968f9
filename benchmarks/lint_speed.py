"""How fast durable_lint is: lint 1,000 generated orchestrator modules, print files/s.

The target is under 5 s for 1,000 files on one core, so a pre-commit hook or ``make lint`` never
makes anyone wait. Files are generated in a temporary folder (v2 blueprints with sequential
loops, raw calls, fan-outs and helpers; v1 ``Orchestrator.create`` modules) and linted through
the same path as the command line: walk, parse, collect registrations, run every rule. The
findings are real ones: each v2 module has a raw POST and a sequential loop, each v1 module a
sleep, a sequential loop and an activity name ("Hello") that no generated file registers.

    python -m benchmarks.lint_speed [--files 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from benchmarks._harness import Figure, machine, print_result
from durable_lint import LintResult, lint_files
from durable_lint.files import discover

TARGET_S = 5.0

V2_TEMPLATE = '''"""Generated orchestrator module {n}."""

import logging
from datetime import timedelta

import azure.durable_functions as df
import requests

bp = df.Blueprint()


def build_payload(invoice, status):
    """A helper the orchestrators call: checked as orchestrator code."""
    return {{"invoice": invoice, "status": status, "n": {n}}}


@bp.orchestration_trigger(context_name="context")
def sequential_{n}(context: df.DurableOrchestrationContext):
    run = context.get_input()
    rows = []
    for index in range(run["count"]):
        priced = yield context.call_activity("price_{n}", {{"seed": run["seed"], "i": index}})
        response = requests.post(run["api_url"], json=priced, timeout=30)
        rows.append(build_payload(priced, response.status_code))
        context.set_custom_status({{"phase": "posting", "done": index + 1}})
    return rows


@bp.orchestration_trigger(context_name="context")
def fan_out_{n}(context: df.DurableOrchestrationContext):
    run = context.get_input()
    tasks = [context.call_activity("price_{n}", i) for i in range(run["count"])]
    priced = yield context.task_all(tasks)
    posts = [context.call_http("POST", run["api_url"], content=p) for p in priced]
    responses = yield context.task_all(posts)
    deadline = context.current_utc_datetime + timedelta(minutes=5)
    yield context.create_timer(deadline)
    if not context.is_replaying:
        logging.info("posted %d", len(responses))
    return [build_payload(p, r["statusCode"]) for p, r in zip(priced, responses)]


@bp.orchestration_trigger(context_name="context")
def chained_{n}(context: df.DurableOrchestrationContext):
    state = context.get_input()
    for step in ("validate", "price", "post"):
        state = yield context.call_activity("price_{n}", [step, state])
    return state


@bp.activity_trigger(input_name="invoice")
def price_{n}(invoice):
    return requests.post("http://127.0.0.1:9/price", json=invoice, timeout=5).json()
'''

V1_TEMPLATE = '''"""Generated v1 orchestrator {n}."""

import time

import azure.durable_functions as df


def orchestrator_function(context: df.DurableOrchestrationContext):
    results = []
    for city in ["Tokyo", "Seattle", "London", "Lisbon"]:
        results.append((yield context.call_activity("Hello", city)))
    time.sleep(0)
    return results


main = df.Orchestrator.create(orchestrator_function)
'''


def generate(folder: Path, count: int) -> int:
    """Write ``count`` modules (every fourth one v1); returns the number of lines written."""
    lines = 0
    for n in range(count):
        text = (V1_TEMPLATE if n % 4 == 3 else V2_TEMPLATE).format(n=n)
        (folder / f"orchestrator_{n:04d}.py").write_text(text, encoding="utf-8")
        lines += text.count("\n")
    return lines


def _time_on_one_core(folder: str, runs: int) -> tuple[list[float], LintResult]:
    """Lint ``folder`` ``runs`` times, pinned to one CPU where the OS allows it."""
    pinned = hasattr(os, "sched_setaffinity")
    if pinned:
        cpus = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(cpus)})
    try:
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            result = lint_files(discover([folder]))
            timings.append(time.perf_counter() - start)
    finally:
        if pinned:
            os.sched_setaffinity(0, cpus)
    return timings, result


def main(files: int = 1000, runs: int = 3) -> bool:
    """Generate, lint ``runs`` times, print the figures; whether the target is met."""
    core = "one core" if hasattr(os, "sched_setaffinity") else "one process (no CPU pinning)"
    with tempfile.TemporaryDirectory(prefix="durable-lint-bench-") as tmp:
        lines = generate(Path(tmp), files)
        timings, result = _time_on_one_core(tmp, max(runs, 1))
    best, median = min(timings), statistics.median(timings)
    codes = Counter(finding.code for finding in result.findings)
    found = ", ".join(f"{code} {n:,}" for code, n in sorted(codes.items()))
    met = best * 1000 / max(files, 1) < TARGET_S
    print_result(
        "durable_lint speed",
        [
            Figure("machine", f"{machine()}, {core}"),
            Figure("generated files", f"{files:,} ({lines:,} lines)"),
            Figure(f"best of {runs}", f"{best:.2f} s total, {files / best:,.0f} files/s"),
            Figure("median", f"{median:.2f} s"),
            Figure("findings", f"{len(result.findings):,} ({found})"),
        ],
        f"< {TARGET_S:.0f} s for 1,000 files",
        met,
    )
    return met


def _parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lint_speed")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = _parse()
    raise SystemExit(0 if main(args.files, args.runs) else 1)
