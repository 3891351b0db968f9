"""The figures, drawn from out/demo.json alone (so they can be redrawn without a run).

The hero (``figure.png``, the README's) tells one story: time per episode for the three
orchestrators, each run alone under the Azure-like profile. The anti-pattern's episodes grow
(each replays every earlier raw POST), the fixes' stay flat. The published first and last
passes sit on the anti-pattern's first and last episode, at the profile's scale; a shaded
band under its line is the host's own work, which the profile does not emulate; the legend
carries the POSTs each run made. One y-axis, three annotations.

The details (``figure-details.png``, beside it, for docs/): the POSTs against N from the
sweep on log-log axes beside the replay rules, and each whole run at Azure scale beside the
published figures.

Drawn with matplotlib's Agg backend, so it needs no display (CI, SSH).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullFormatter

from comparison.cost_model import expected_counts, format_duration
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, ORCHESTRATORS, RAW_HTTP_LOOP

ROLES = {RAW_HTTP_LOOP: "anti-pattern", CALL_HTTP_LOOP: "fix 1", FAN_OUT_FAN_IN: "fix 2"}
COLOURS = {RAW_HTTP_LOOP: "#c0392b", CALL_HTTP_LOOP: "#2471a3", FAN_OUT_FAN_IN: "#1e8449"}
MARKERS = {RAW_HTTP_LOOP: "o", CALL_HTTP_LOOP: "s", FAN_OUT_FAN_IN: "^"}
PUBLISHED_STYLE = {
    "marker": "D",
    "markersize": 11,
    "color": "black",
    "markerfacecolor": "none",
    "markeredgewidth": 1.8,
}
FONT = 13  # at 150 dpi and 9 inches wide, ~17 px when the README shows it 830 px wide
SMALL = 12
DPI = 150
DETAILS_SUFFIX = "-details"


def details_path(path: Path) -> Path:
    """Where the details figure goes beside the hero at ``path``: figure-details.png."""
    return path.with_name(f"{path.stem}{DETAILS_SUFFIX}{path.suffix}")


def write_figure(data: dict[str, Any], path: Path) -> list[Path]:
    """Draw the hero at ``path`` and the details beside it from a demo.json ``data``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for draw, target in ((draw_figure, path), (draw_details, details_path(path))):
        fig = draw(data)
        try:
            fig.savefig(target, dpi=DPI)
        finally:
            plt.close(fig)
        written.append(target)
    return written


def draw_figure(data: dict[str, Any]) -> Figure:
    """The hero for a demo.json ``data`` (close it with ``plt.close``)."""
    runs = {run["orchestrator"]: run for run in data["runs"]}  # KeyError: not a demo.json
    scale = data["profile"]["time_scale"]
    fig, ax = plt.subplots(figsize=(9, 5.4), layout="constrained")
    for name in ORCHESTRATORS:
        run = runs.get(name, {})
        walls = run.get("episode_wall_s") or []
        ax.plot(
            range(len(walls)),
            [w * 1000 for w in walls],
            color=COLOURS[name],
            marker=MARKERS[name],
            markersize=11 if name == FAN_OUT_FAN_IN else 4,
            linewidth=2,
            label=f"{name} ({ROLES[name]}): {_count(run.get('billing_posts'))} POSTs",
            zorder=3 if name == FAN_OUT_FAN_IN else 2,
        )
    raw = runs.get(RAW_HTTP_LOOP, {})
    _host_band(ax, raw)
    _published_passes(ax, raw, data["published"], scale)
    _last_episode(ax, raw)
    ax.set_title(
        f"N = {raw.get('count', '?')} invoices: the anti-pattern's episodes grow,"
        " both fixes' stay flat",
        loc="left",
        fontsize=FONT + 1,
        fontweight="bold",
    )
    ax.set_xlabel("episode: each time the orchestrator runs (0 = the first)", fontsize=FONT)
    ax.set_ylabel(f"time per episode (ms, at 1/{1 / scale:.0f})", fontsize=FONT)
    ax.tick_params(labelsize=SMALL)
    ax.set_ylim(0, max(_top(runs), data["published"]["last_pass_s"] * scale * 1000) * 1.1)
    ax.set_xlim(-3, max(104, *(len(r.get("episode_wall_s") or []) for r in runs.values())))
    ax.grid(True, alpha=0.3)
    # Under the plot: inside, any corner is data on some machine.
    fig.legend(loc="outside lower center", ncols=2, fontsize=SMALL, frameon=False)
    return fig


def _host_band(ax: Axes, raw: dict[str, Any]) -> None:
    """Shade the host's own part of each anti-pattern episode: between its wall time and that
    less the host's work, i.e. what the profile emulates."""
    walls, own = raw.get("episode_wall_s") or [], raw.get("episode_host_s") or []
    if not walls or len(own) != len(walls):
        return
    top = [w * 1000 for w in walls]
    emulated = [(w - h) * 1000 for w, h in zip(walls, own, strict=True)]
    ax.fill_between(
        range(len(walls)),
        emulated,
        top,
        color=COLOURS[RAW_HTTP_LOOP],
        alpha=0.18,
        linewidth=0,
        label="the host's own work (not scaled)",
        zorder=1,
    )


def _published_passes(ax: Axes, raw: dict[str, Any], published: dict[str, Any], scale: float):
    """The post's first and last pass, on the anti-pattern's first and last episode."""
    last = len(raw.get("episode_wall_s") or []) - 1
    if last < 1:
        last = published["n"]
    first_ms = published["first_pass_s"] * scale * 1000
    last_ms = published["last_pass_s"] * scale * 1000
    ax.plot([0, last], [first_ms, last_ms], linestyle="none", zorder=4, **PUBLISHED_STYLE)
    note = {"fontsize": SMALL, "textcoords": "offset points", "arrowprops": {"arrowstyle": "-"}}
    ax.annotate(
        f"the post's first pass, ~{_ms(published['first_pass_s'])}:\n"
        f"{first_ms:.0f} ms at 1/{1 / scale:.0f}",
        (0, first_ms),
        xytext=(115, 30),
        **note,
    )
    ax.annotate(
        f"the post's last pass, ~{_ms(published['last_pass_s'])}:\n"
        f"{last_ms:.0f} ms at 1/{1 / scale:.0f}",
        (last, last_ms),
        xytext=(22, -45),
        va="top",  # well below the measured last episode's note, however close the two are
        **note,
    )


def _last_episode(ax: Axes, raw: dict[str, Any]) -> None:
    walls, own = raw.get("episode_wall_s") or [], raw.get("episode_host_s") or []
    if len(walls) < 2:
        return
    text = f"episode {len(walls) - 1}: {walls[-1] * 1000:,.0f} ms"
    if len(own) == len(walls):
        text += f",\n{own[-1] * 1000:,.0f} ms of it the host's own"
    ax.annotate(
        text,
        (len(walls) - 1, walls[-1] * 1000),
        xytext=(22, 0),
        textcoords="offset points",
        va="center",
        fontsize=SMALL,
        color=COLOURS[RAW_HTTP_LOOP],
        fontweight="bold",
        arrowprops={"arrowstyle": "-", "color": COLOURS[RAW_HTTP_LOOP]},
    )


def draw_details(data: dict[str, Any]) -> Figure:
    """The details for a demo.json ``data``: POSTs against N, and whole runs at Azure scale."""
    runs = {run["orchestrator"]: run for run in data["runs"]}
    fig, (ax_posts, ax_runs) = plt.subplots(1, 2, figsize=(12, 5), layout="constrained")
    _posts(ax_posts, data["sweep"], data["published"]["n"])
    _whole_runs(ax_runs, runs, data)
    return fig


def _posts(ax: Axes, sweep: list[dict[str, Any]], published_n: int) -> None:
    ns = sorted({run["count"] for run in sweep}) or [published_n]
    rule = {"color": "0.6", "linewidth": 1.5, "zorder": 1}
    ax.plot(ns, [expected_counts(RAW_HTTP_LOOP, n).raw_calls for n in ns], **rule)
    ax.plot(ns, ns, **rule, linestyle="--")
    # The fixes send the same N POSTs: a large hollow square around a small filled triangle.
    size = {RAW_HTTP_LOOP: 8, CALL_HTTP_LOOP: 13, FAN_OUT_FAN_IN: 7}
    for name in ORCHESTRATORS:
        mine = sorted((r for r in sweep if r["orchestrator"] == name), key=lambda r: r["count"])
        mine = [r for r in mine if r.get("billing_posts") is not None]
        hollow = {"markerfacecolor": "none", "markeredgewidth": 2} if name == CALL_HTTP_LOOP else {}
        ax.plot(
            [r["count"] for r in mine],
            [r["billing_posts"] for r in mine],
            linestyle="none",
            marker=MARKERS[name],
            color=COLOURS[name],
            markersize=size[name],
            label=f"{name} ({ROLES[name]})",
            zorder=3,
            **hollow,
        )
    ax.plot([], [], **rule, label="N(N+1)/2, the replay rule")
    ax.plot([], [], **rule, linestyle="--", label="N")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(FixedLocator(ns))
    ax.set_xticklabels([str(n) for n in ns])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("invoices (N)", fontsize=FONT)
    ax.set_ylabel("POSTs the billing API received", fontsize=FONT)
    ax.set_title("POSTs per run against N (sweep, counts only)", loc="left", fontsize=FONT)
    ax.tick_params(labelsize=SMALL)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left", fontsize=SMALL)


def _whole_runs(ax: Axes, runs: dict[str, dict[str, Any]], data: dict[str, Any]) -> None:
    published = data["published"]
    factor = 1 / data["profile"]["time_scale"]
    known = {
        RAW_HTTP_LOOP: published["raw_http_loop_s"],
        CALL_HTTP_LOOP: published["call_http_loop_s"],
    }
    names = [name for name in ORCHESTRATORS if name in runs]
    label = {"textcoords": "offset points", "va": "center", "fontsize": SMALL}
    for y, name in enumerate(names):
        azure = runs[name].get("azure_scale_s")
        if azure:
            ax.plot(azure, y, marker=MARKERS[name], color=COLOURS[name], markersize=9, zorder=3)
            own = runs[name].get("host_own_s")
            text = format_duration(azure)
            if own is not None:
                text += f" + {format_duration(own)} host's own"
            ax.annotate(text, (azure, y), xytext=(0, -18), ha="center", **label)
        if name in known:
            ax.plot(known[name], y, linestyle="none", **PUBLISHED_STYLE)
            text = f"published {format_duration(known[name])}"
            ax.annotate(text, (known[name], y), xytext=(0, 17), ha="center", **label)
    # The times table's column of the same name: what the profile emulated, scaled back.
    ax.plot([], [], "o", color="0.3", label=f"x{factor:.0f}: L, D")
    ax.plot([], [], linestyle="none", label="published", **PUBLISHED_STYLE)
    ax.set_xscale("log")
    ticks = [1, 10, 60, 600, 3600]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.set_xticklabels(["1 s", "10 s", "1 min", "10 min", "1 h"])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(0.3, 3 * 3600)
    ax.set_yticks(range(len(names)), [f"{n}\n({ROLES[n]})" for n in names], fontsize=SMALL)
    ax.set_ylim(len(names) - 0.4, -0.6)
    ax.set_xlabel("whole run at Azure scale (log)", fontsize=FONT)
    ax.set_title(
        f"Whole runs at N = {published['n']}, scaled back to Azure", loc="left", fontsize=FONT
    )
    ax.tick_params(axis="x", labelsize=SMALL)
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=SMALL)  # right of the fast run, below the slow ones


def _top(runs: dict[str, dict[str, Any]]) -> float:
    walls = [w for run in runs.values() for w in run.get("episode_wall_s") or []]
    return max(walls, default=0.1) * 1000


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.0f} s"


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "?"
