"""devhost's test API against its nearest peer, durabletask's InMemoryOrchestrationBackend.

Four shapes, the same orchestrators on both sides (peer_app/ and peer_durabletask_driver.py):
a chain of 20 activities, a fan-out of 1,000, 200 one-activity instances in a row, and a 1 s
timer. Each side starts once and stays warm (devhost: `devhost.testing.durable_app`, in this
process; the peer: a backend, worker and gRPC client in a process of its own virtualenv, out/,
where this benchmark installs durabletask from the package index, or says it cannot and skips).
The rounds interleave the two, alternating which goes first. Figures: the median seconds per
shape over the rounds (for the 200 in a row, the p50 latency per instance), devhost / peer as
a ratio, and their geometric mean; p50/p95/max latency per instance over every round.
Target: ratio <= 1.0 on every shape but the timer (a timer waits the same second on both
sides), and a geometric mean <= 0.6.
"""

from __future__ import annotations

import asyncio
import gc
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks._harness import Figure, report
from comparison.console import quiet_app_logs
from devhost.testing import durable_app

PEER = "durabletask==1.12.0"
HERE = Path(__file__).resolve().parent
VENV = HERE.parent / "out" / "peer-durabletask"
ROUNDS = 3
# shape -> (orchestrator, input, instances per round)
SHAPES: dict[str, tuple[str, Any, int]] = {
    "chain of 20": ("chain", 20, 1),
    "fan-out of 1,000": ("fan_out", 1000, 1),
    "200 in a row": ("one", "Tokyo", 200),
    "timer (1 s)": ("timer", 1, 1),
}
NOT_TARGETED = {"timer (1 s)"}
TARGET_RATIO, TARGET_GEOMEAN = 1.0, 0.6


def _python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def peer_python() -> tuple[Path | None, str]:
    """The peer's interpreter, installing it first if needed; (None, why) if it cannot."""
    python = _python(VENV)
    check = [str(python), "-c", "import durabletask.testing"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python, "already installed"
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=120)
    try:
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PEER],
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        return None, f"installing {PEER} took longer than 600 s"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"could not install {PEER} from the package index ({last})"
    return python, f"installed {PEER} into {VENV}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Peer:
    """The peer's driver process: one shape per request line, its seconds per instance back."""

    def __init__(self, python: Path) -> None:
        self.proc = subprocess.Popen(
            [str(python), str(HERE / "peer_durabletask_driver.py"), str(_free_port())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "GRPC_VERBOSITY": "ERROR"},  # gRPC's own C-core lines
        )
        assert self._read() == {"ready": True}

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the peer's driver exited ({self.proc.wait()})")
        return json.loads(line)

    def run(self, name: str, payload: Any, count: int) -> list[float]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"name": name, "input": payload, "count": count}) + "\n")
        self.proc.stdin.flush()
        return self._read()["seconds"]

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(30)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.3f} s"


def import_seconds(python: Path, module: str) -> float:
    """Seconds to import `module` in a fresh interpreter (best of three)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([str(python), "-c", code], capture_output=True, text=True).stdout)
        for _ in range(3)
    ]
    return min(runs)


Times = dict[str, dict[str, list[float]]]  # shape -> side ("devhost", "peer") -> seconds


async def measure(peer: Peer) -> tuple[Times, Times]:
    """(seconds per instance, every round's figure) per shape and side, rounds interleaved."""
    times: Times = {s: {"devhost": [], "peer": []} for s in SHAPES}
    per_round: Times = {s: {"devhost": [], "peer": []} for s in SHAPES}
    async with durable_app(HERE / "peer_app") as app:
        await app.run("one", "warm-up")

        async def on_devhost(name: str, payload: Any, count: int) -> list[float]:
            seconds = []
            for _ in range(count):
                began = time.perf_counter()
                status = await app.run(name, payload, timeout=600)
                seconds.append(time.perf_counter() - began)
                if status.runtime_status.name != "Completed":
                    raise RuntimeError(f"{name} ended {status.runtime_status.name}")
            return seconds

        for round_index in range(ROUNDS):
            for shape, (name, payload, count) in SHAPES.items():
                sides: list[tuple[str, Callable[[str, Any, int], Awaitable[list[float]]]]] = [
                    ("devhost", on_devhost),
                    ("peer", lambda *args: asyncio.to_thread(peer.run, *args)),
                ]
                for side, run in sides if round_index % 2 == 0 else reversed(sides):
                    seconds = await run(name, payload, count)
                    times[shape][side] += seconds
                    per_round[shape][side].append(
                        statistics.median(seconds) if count > 1 else seconds[0]
                    )
    return times, per_round


def main() -> bool | None:
    quiet_app_logs()
    python, how = peer_python()
    if python is None:
        print(f"\n== devhost vs durabletask's InMemoryOrchestrationBackend: skipped: {how}")
        return None
    peer = Peer(python)
    full_before = gc.get_stats()[2]["collections"]
    try:
        times, per_round = asyncio.run(measure(peer))
    finally:
        peer.close()
    full_collections = gc.get_stats()[2]["collections"] - full_before
    figures = [Figure("peer", f"{PEER} ({how}); {ROUNDS} rounds, interleaved")]
    ratios = []
    for shape in SHAPES:
        devhost = statistics.median(per_round[shape]["devhost"])
        other = statistics.median(per_round[shape]["peer"])
        ratio = devhost / other
        if shape not in NOT_TARGETED:
            ratios.append(ratio)
        figures.append(
            Figure(shape, f"devhost {_ms(devhost)}  peer {_ms(other)}  ratio {ratio:.2f}")
        )
    geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    figures.append(Figure("geometric mean", f"{geomean:.2f} (shapes but the timer)"))
    for side in ("devhost", "peer"):
        latencies = times["200 in a row"][side]
        figures.append(
            Figure(
                f"{side} per instance",
                f"p50 {_ms(_percentile(latencies, 0.50))}  p95 "
                f"{_ms(_percentile(latencies, 0.95))}  max {_ms(max(latencies))}"
                f"  ({len(latencies)} instances)",
            )
        )
    figures.append(
        Figure("devhost full GCs", f"{full_collections} during the rounds (gc.freeze at start-up)")
    )
    ours = import_seconds(Path(sys.executable), "devhost.testing.hosts")
    theirs = import_seconds(python, "durabletask.testing, durabletask.worker")
    figures.append(Figure("import", f"devhost.testing {_ms(ours)}  durabletask {_ms(theirs)}"))
    met = all(r <= TARGET_RATIO for r in ratios) and geomean <= TARGET_GEOMEAN
    return report(
        "devhost vs durabletask's InMemoryOrchestrationBackend",
        figures,
        f"ratio <= {TARGET_RATIO} on every shape but the timer, geometric mean <= {TARGET_GEOMEAN}",
        met,
    )
