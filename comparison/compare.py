"""The comparison flow, shared by ``compare`` (any host) and ``demo`` (the embedded host).

Start the runs through the public endpoints, poll their summaries with progress, then join
each summary with the billing API's per-run counters into a table row.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from typing import Any

from comparison.client import ClientError, ComparisonClient, is_terminal
from comparison.console import Console
from comparison.report import RunRow, build_row, render_table
from comparison.times import render_times
from contract import ORCHESTRATORS

EXIT_OK = 0
EXIT_RUN_FAILED = 1
PROGRESS_WIDTH = 79  # an 80-column terminal, less the cursor


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
    console.result()
    console.result(render_times(rows, measured_on=base_url))
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


def progress_line(
    summaries: dict[str, dict[str, Any]],
    started: float,
    posts: int | None = None,
    label: str = "",
) -> str:
    """One line: time, a label (the sweep's position), billing POSTs so far, each run's progress.

    A running run shows invoices done out of total (from its custom status), a finished one
    ``ok`` or its status; under 80 columns for the three orchestrators at N=50.
    """
    head = [f"{time.monotonic() - started:5.1f} s"]  # 5.1f: the line keeps its place
    if label:
        head.append(label)
    if posts is not None:
        head.append(f"{posts:,} POSTs")
    running: list[tuple[str, str]] = []
    finished: list[tuple[str, str]] = []
    for summary in summaries.values():
        status = summary.get("runtime_status") or "?"
        custom = summary.get("custom_status")
        name = str(summary.get("name") or "?")
        if status == "Completed":
            finished.append((name, "ok"))
        elif status not in ("Running", "Pending"):
            running.append((name, status))  # Failed, Terminated: always named
        elif isinstance(custom, dict) and "done" in custom:
            running.append((name, f"{custom.get('done')}/{custom.get('total')}"))
        else:
            running.append((name, status.lower()))

    def join(runs: list[tuple[str, str]], short: bool = False) -> str:
        named = [f"{name.split('_')[0] if short else name} {state}" for name, state in runs]
        return "  ".join([*head, *named])

    # Too wide for 80 columns: fold the finished runs, then shorten the names.
    folded = f"  {len(finished)} ok" if finished else ""
    candidates = (join(running + finished), join(running) + folded)
    return next(
        (line for line in candidates if len(line) <= PROGRESS_WIDTH),
        join(running, short=True) + folded,
    )


class BillingWatch:
    """Polls the billing API's stats while runs go on: the POSTs they caused so far."""

    def __init__(
        self, client: ComparisonClient, ids: Sequence[str], interval_s: float = 0.25
    ) -> None:
        self.client, self.ids, self.interval_s = client, list(ids), interval_s
        self.posts: int | None = None

    async def run(self) -> None:
        while True:
            try:
                stats = await self.client.billing_stats()
            except ClientError:
                return  # progress only: the table reports what matters
            if not isinstance(stats, dict):
                return  # no stand-in billing API on this host
            self.posts = posts_of(stats, self.ids)
            await asyncio.sleep(self.interval_s)


def posts_of(stats: dict[str, Any], ids: Sequence[str]) -> int:
    """The POSTs the billing API received from the runs ``ids`` (``by_run[id].received``)."""
    by_run = stats.get("by_run")
    if not isinstance(by_run, dict):
        return 0
    total = 0
    for instance_id in ids:
        per_run = by_run.get(instance_id)
        value = per_run.get("received") if isinstance(per_run, dict) else None
        total += value if isinstance(value, int) else 0
    return total


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
    label: str = "",
) -> list[RunRow]:
    """Start all three with ``POST /api/compare`` (so they run side by side) and wait for them.

    ``label`` leads the progress line (the sweep's position).
    """
    clock = FinishTimes()
    started = await client.compare(count, seed)
    try:
        ids = [str(item["id"]) for item in started["instances"]]
    except (KeyError, TypeError):
        raise ClientError("POST /api/compare answered without the instances it started.") from None
    if not label:
        console.info(f"Started {len(ids)} runs with count={count}, seed={seed}.")
    return await _finish(
        client, console, clock, ids, count, None, poll_interval_s, timeout_s, label
    )


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
    """Run the orchestrators one after another, so each wall time is its own; ``max_parallel``
    goes to the starter (the model benchmark's batched fan-out)."""
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
    label: str = "",
) -> list[RunRow]:
    watch = BillingWatch(client, ids)

    def line(latest: dict[str, dict[str, Any]]) -> str:
        return progress_line(latest, clock.began, watch.posts, label)

    def on_poll(latest: dict[str, dict[str, Any]]) -> None:
        clock.observe(latest)
        console.progress(line(latest))

    watcher = asyncio.create_task(watch.run())
    try:
        summaries = await client.wait(
            ids, on_poll=on_poll, poll_interval_s=poll_interval_s, timeout_s=timeout_s
        )
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    billing = await client.billing_stats()
    if not isinstance(billing, dict):
        billing = None  # absent, or not the stand-in's answer: the columns show n/a
    else:
        watch.posts = posts_of(billing, ids)
    console.progress(line(summaries), final=True)
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
