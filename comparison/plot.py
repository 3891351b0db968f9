"""The sweep plot: wall time and billing calls against N, log-log, one line per orchestrator.

A third panel shows the cost model's projection for Azure from the same runs' counts, titled
as a model so nobody reads it as a measurement.

Drawn with matplotlib's Agg backend, so it needs no display (CI, SSH). The dashed guides are
the replay rules' predictions (N(N+1)/2 raw calls, N durable calls), so a reader can see that
the measured points sit on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import NullFormatter

from comparison.cost_model import ORCHESTRATORS, expected_counts
from comparison.report import RunRow
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP

STYLES = {
    RAW_HTTP_LOOP: {"color": "tab:red", "marker": "o", "label": f"{RAW_HTTP_LOOP} (anti-pattern)"},
    CALL_HTTP_LOOP: {"color": "tab:blue", "marker": "s", "label": f"{CALL_HTTP_LOOP} (fix 1)"},
    FAN_OUT_FAN_IN: {"color": "tab:green", "marker": "^", "label": f"{FAN_OUT_FAN_IN} (fix 2)"},
}


def write_plot(rows: Sequence[RunRow], path: Path, *, latency_ms: int | None = None) -> Path:
    """Draw the sweep's rows into a PNG at ``path`` (its folder must exist); return the path."""
    fig, (ax_time, ax_calls, ax_model) = plt.subplots(1, 3, figsize=(17, 5.2), layout="constrained")
    ns = sorted({row.count for row in rows})
    for name in ORCHESTRATORS:
        mine = sorted((r for r in rows if r.name == name), key=lambda r: r.count)
        style = STYLES[name]
        timed = [r for r in mine if r.wall_seconds is not None]
        ax_time.plot(
            [r.count for r in timed], [max(r.wall_seconds or 0, 1e-3) for r in timed], **style
        )
        called = [r for r in mine if r.billing_received is not None]
        ax_calls.plot([r.count for r in called], [r.billing_received for r in called], **style)
        ax_model.plot([r.count for r in mine], [r.projected_seconds / 60 for r in mine], **style)
    if ns:
        ax_calls.plot(
            ns,
            [expected_counts(RAW_HTTP_LOOP, n).raw_calls for n in ns],
            "k--",
            linewidth=0.8,
            label="N(N+1)/2",
        )
        ax_calls.plot(ns, ns, "k:", linewidth=0.8, label="N")
    where = f", billing latency {latency_ms} ms" if latency_ms is not None else ""
    ax_time.set_title(f"Wall time on the embedded host{where}")
    ax_time.set_ylabel("wall time (s)")
    ax_calls.set_title("POSTs received by the billing API")
    ax_calls.set_ylabel("HTTP submissions")
    ax_model.set_title("Projected on Azure: a model, not a measurement")
    ax_model.set_ylabel("projected time (min), docs/cost-model.md")
    for ax in (ax_time, ax_calls, ax_model):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("invoices (N)")
        ax.set_xticks(ns, [str(n) for n in ns])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="small")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
