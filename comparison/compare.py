"""The comparison flow, shared by ``compare`` (any host) and ``demo`` (the embedded host).

Start the runs through the public endpoints, poll their summaries with progress, then join
each summary with the billing API's per-run counters into a table row.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from comparison.client import ClientError, ComparisonClient, is_terminal
from comparison.console import Console
from comparison.cost_model import ORCHESTRATORS
from comparison.report import RunRow, build_row, render_table

EXIT_OK = 0
EXIT_RUN_FAILED = 1


async def compare_command(
    console: Console,
    *,
    base_url: str,
    function_key: str | None,
    count: int,
    seed: int,
    timeout_s: float,
) -> int:
    """``python -m comparison compare``: run the three on a running host and print the table."""
    console.info(f"Comparing the three orchestrators on {base_url} (count={count}, seed={seed})")
    async with ComparisonClient(base_url, function_key) as client:
        rows = await compare_all(client, console, count, seed, timeout_s=timeout_s)
    console.result(render_table(rows))
    return check_completed(rows, console)


def check_completed(rows: Sequence[RunRow], console: Console) -> int:
    """0 when every run completed; otherwise one sentence naming the first that did not."""
    for row in rows:
        if row.status != "Completed":
            console.error(
                f"{row.name} ended {row.status}; GET /api/runs/{row.instance_id} shows why."
            )
            return EXIT_RUN_FAILED
    return EXIT_OK


def progress_line(summaries: dict[str, dict[str, Any]], started: float) -> str:
    """One line: each run's name, invoices done out of total (from its custom status), status."""
    parts = []
    for summary in summaries.values():
        status = summary.get("runtime_status") or "?"
        custom = summary.get("custom_status")
        name = summary.get("name") or "?"
        done = ""
        if isinstance(custom, dict) and "done" in custom:
            done = f" {custom.get('done')}/{custom.get('total')}"
        parts.append(f"{name}{done}" if status == "Running" else f"{name}{done} {status}")
    return f"[{time.monotonic() - started:6.1f} s] " + " | ".join(parts)


class FinishTimes:
    """Wall time as the client sees it: from the start request to the first terminal poll.

    The status API's timestamps have one-second resolution, too coarse for short runs.
    """

    def __init__(self) -> None:
        self.began = time.monotonic()
        self.seconds: dict[str, float] = {}

    def observe(self, summaries: dict[str, dict[str, Any]]) -> None:
        now = time.monotonic() - self.began
        for instance_id, summary in summaries.items():
            if is_terminal(summary):
                self.seconds.setdefault(instance_id, now)


async def compare_all(
    client: ComparisonClient,
    console: Console,
    count: int,
    seed: int,
    *,
    poll_interval_s: float = 0.5,
    timeout_s: float = 3600.0,
) -> list[RunRow]:
    """Start all three with ``POST /api/compare`` (so they run side by side) and wait for them."""
    clock = FinishTimes()
    started = await client.compare(count, seed)
    try:
        ids = [str(item["id"]) for item in started["instances"]]
    except (KeyError, TypeError):
        raise ClientError("POST /api/compare answered without the instances it started.") from None
    console.info(f"Started {len(ids)} runs with count={count}, seed={seed}: {', '.join(ids)}")
    return await _finish(client, console, clock, ids, count, None, poll_interval_s, timeout_s)


async def run_each(
    client: ComparisonClient,
    console: Console,
    count: int,
    seed: int,
    *,
    names: Sequence[str] = ORCHESTRATORS,
    max_parallel: int | None = None,
    poll_interval_s: float = 0.2,
    timeout_s: float = 3600.0,
) -> list[RunRow]:
    """Run the orchestrators one after another, so each wall time is its own (for the sweep)."""
    rows = []
    for name in names:
        clock = FinishTimes()
        payload = await client.start(name, count, seed, max_parallel)
        instance_id = payload.get("id") if isinstance(payload, dict) else None
        if not instance_id:
            raise ClientError(f"POST /api/orchestrators/{name} answered without an instance id.")
        rows.extend(
            await _finish(
                client,
                console,
                clock,
                [instance_id],
                count,
                max_parallel,
                poll_interval_s,
                timeout_s,
            )
        )
    return rows


async def _finish(
    client: ComparisonClient,
    console: Console,
    clock: FinishTimes,
    ids: list[str],
    count: int,
    max_parallel: int | None,
    poll_interval_s: float,
    timeout_s: float,
) -> list[RunRow]:
    def on_poll(latest: dict[str, dict[str, Any]]) -> None:
        clock.observe(latest)
        console.progress(progress_line(latest, clock.began))

    summaries = await client.wait(
        ids, on_poll=on_poll, poll_interval_s=poll_interval_s, timeout_s=timeout_s
    )
    console.progress(progress_line(summaries, clock.began), final=True)
    billing = await client.billing_stats()
    return [
        build_row(
            summaries[i],
            billing,
            count,
            max_parallel=max_parallel,
            observed_seconds=clock.seconds.get(i),
        )
        for i in ids
    ]
