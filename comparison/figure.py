"""The figure that tells the story, drawn from out/demo.json alone (so it can be redrawn).

Left: time per episode against episode index, for the three orchestrators under the
Azure-like profile. The anti-pattern's line rises (each pass replays every earlier raw POST);
the fixes' stay flat. Dashed lines mark the published run's passes, ~850 ms and ~35 s, at the
profile's scale; a right-hand axis reads the same times at Azure scale.
Top right: POSTs the billing API received against N (the sweep), with the replay rules'
N(N+1)/2 and N as wide grey bands under the data. The two fixes' points coincide, so they
are drawn side by side with different markers.
Bottom right: the measured times scaled back to Azure, next to the published ones.

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
from matplotlib.ticker import NullFormatter

from comparison.cost_model import expected_counts, format_duration
from comparison.results import measured_ratio
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, ORCHESTRATORS, RAW_HTTP_LOOP

STYLES: dict[str, dict[str, Any]] = {
    RAW_HTTP_LOOP: {"color": "#c0392b", "marker": "o", "label": f"{RAW_HTTP_LOOP} (anti-pattern)"},
    CALL_HTTP_LOOP: {"color": "#2471a3", "marker": "s", "label": f"{CALL_HTTP_LOOP} (fix 1)"},
    FAN_OUT_FAN_IN: {"color": "#229954", "marker": "^", "label": f"{FAN_OUT_FAN_IN} (fix 2)"},
}
# The fixes send the same N POSTs: shift their points apart on the log axis so both show.
DODGE = {RAW_HTTP_LOOP: 1.0, CALL_HTTP_LOOP: 0.9, FAN_OUT_FAN_IN: 1.1}
GUIDE = {"color": "0.55", "alpha": 0.25, "linewidth": 9, "solid_capstyle": "round", "zorder": 1}


def write_figure(data: dict[str, Any], path: Path) -> Path:
    """Draw the figure for a demo.json ``data`` into a PNG at ``path``; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = draw_figure(data)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def draw_figure(data: dict[str, Any]) -> Figure:
    """The figure for a demo.json ``data`` (close it with ``plt.close``)."""
    runs = {run["orchestrator"]: run for run in data["side_by_side"]}  # KeyError: not a demo.json
    sweep, published_n = data["sweep"], data["published"]["n"]
    fig = plt.figure(figsize=(14, 8), layout="constrained")
    grid = fig.add_gridspec(2, 2, width_ratios=(1.35, 1))
    ax_episodes = fig.add_subplot(grid[:, 0])
    ax_posts = fig.add_subplot(grid[0, 1])
    ax_times = fig.add_subplot(grid[1, 1])
    _episodes(ax_episodes, runs, data)
    _posts(ax_posts, sweep, published_n)
    _times(ax_times, runs, data)
    fig.suptitle(_title(runs, data), fontsize=13, fontweight="bold")
    handles, labels = ax_episodes.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), fontsize=10)
    return fig


def _title(runs: dict[str, dict[str, Any]], data: dict[str, Any]) -> str:
    raw, loop, fan = (runs.get(name, {}) for name in ORCHESTRATORS)
    published = data["published"]
    posts = f"{_count(raw.get('billing_posts'))} vs {_count(loop.get('billing_posts'))}"
    episodes = " / ".join(_count(run.get("episodes")) for run in (raw, loop, fan))
    return (
        f"A raw HTTP call in a Durable Functions orchestrator loop, N = {raw.get('count', '?')}"
        f" invoices: {posts} POSTs, {episodes} episodes\n"
        f"Measured on the embedded host at 1/{1 / data['profile']['time_scale']:.0f} of Azure's"
        f" time and scaled back: {_azure(raw)} vs {_azure(loop)}"
        f" (published: {published['raw_http_loop_s'] / 60:.0f} min"
        f" vs ~{published['call_http_loop_s'] / 60:.0f} min)"
    )


def _episodes(ax: Axes, runs: dict[str, dict[str, Any]], data: dict[str, Any]) -> None:
    profile, published = data["profile"], data["published"]
    scale = profile["time_scale"]
    factor = 1 / scale
    for name in ORCHESTRATORS:
        walls = runs.get(name, {}).get("episode_wall_s") or []
        size = 8 if name == FAN_OUT_FAN_IN else 3.5
        ax.plot(range(len(walls)), [w * 1000 for w in walls], **STYLES[name], markersize=size)
    raw = runs.get(RAW_HTTP_LOOP, {})
    n = raw.get("count") or published["n"]
    model = [(profile["D_s"] + k * profile["L_s"]) * scale * 1000 for k in range(n + 1)]
    ax.plot(
        range(n + 1), model, ":", color="0.3", lw=1.4, label=f"model: D + k L, at 1/{factor:.0f}"
    )
    first_ms = published["first_pass_s"] * scale * 1000
    last_ms = published["last_pass_s"] * scale * 1000
    for ms in (first_ms, last_ms):
        ax.axhline(ms, color="0.3", ls="--", lw=1, zorder=0)
    note = {"fontsize": 9.5, "color": "0.2", "textcoords": "offset points", "ha": "right"}
    ax.annotate(  # the right half is free: the anti-pattern has half the fix's episodes
        f"published: up to ~{_short(published['last_pass_s'])} per pass"
        f" = {last_ms:.0f} ms at 1/{factor:.0f}",
        (0.99, last_ms),
        xycoords=("axes fraction", "data"),
        xytext=(0, -14),
        **note,
    )
    ax.annotate(
        f"published: ~{_short(published['first_pass_s'])} per pass at first"
        f" = {first_ms:.0f} ms at 1/{factor:.0f}",
        (0.99, first_ms),
        xycoords=("axes fraction", "data"),
        xytext=(0.99, 0.2),  # above the fixes' episodes, right of the anti-pattern's
        arrowprops={"arrowstyle": "->", "color": "0.3"},
        **{**note, "textcoords": "axes fraction"},
    )
    walls = raw.get("episode_wall_s") or []
    if len(walls) >= 2:
        color = STYLES[RAW_HTTP_LOOP]["color"]
        ax.annotate(
            f"episode {len(walls) - 1}: {walls[-1] * 1000:,.0f} ms\n"
            f"= {_short(walls[-1] * factor)} at Azure scale",
            (len(walls) - 1, walls[-1] * 1000),
            xytext=(10, 0),
            va="center",
            textcoords="offset points",
            fontsize=9.5,
            color=color,
            fontweight="bold",
        )
    ax.set_title(
        "Time per episode: the anti-pattern's passes grow, the fixes' stay flat", loc="left"
    )
    ax.set_xlabel("episode (0 = the orchestrator's first run)")
    ax.set_ylabel("measured time per episode (ms)")
    ax.set_ylim(bottom=0)
    ax.set_xlim(-2, max(105, len(runs.get(CALL_HTTP_LOOP, {}).get("episode_wall_s") or [])))
    right = ax.secondary_yaxis(
        "right", functions=(lambda ms: ms / 1000 * factor, lambda s: s * scale * 1000)
    )
    right.set_ylabel(f"at Azure scale, x{factor:.0f} (s)")
    ax.grid(True, alpha=0.3)


def _posts(ax: Axes, sweep: list[dict[str, Any]], published_n: int) -> None:
    ns = sorted({run["count"] for run in sweep}) or [published_n]
    raw_rule = [expected_counts(RAW_HTTP_LOOP, n).raw_calls for n in ns]
    ax.plot(ns, raw_rule, **GUIDE)
    ax.plot(ns, ns, **GUIDE)
    guide_note = {
        "textcoords": "offset points",
        "fontsize": 9.5,
        "color": "0.35",
        "style": "italic",
    }
    middle = len(ns) // 2  # above the rising band, where no data is
    ax.annotate(
        "N(N+1)/2, the replay rule",
        (ns[middle], raw_rule[middle]),
        xytext=(-10, 6),
        ha="right",
        **guide_note,
    )
    ax.annotate("N", (ns[0], ns[0]), xytext=(10, 12), **guide_note)
    for name in ORCHESTRATORS:
        mine = sorted((r for r in sweep if r["orchestrator"] == name), key=lambda r: r["count"])
        mine = [r for r in mine if r.get("billing_posts") is not None]
        style = dict(STYLES[name])
        if name == CALL_HTTP_LOOP:
            style["markerfacecolor"] = "white"
        xs = [r["count"] * DODGE[name] for r in mine]
        ax.plot(xs, [r["billing_posts"] for r in mine], **style, markersize=7, zorder=3)
    at_n = {r["orchestrator"]: r for r in sweep if r["count"] == published_n}
    if RAW_HTTP_LOOP in at_n:
        posts = at_n[RAW_HTTP_LOOP]["billing_posts"]
        ax.annotate(
            f"{posts:,}",
            (published_n, posts),
            xytext=(-12, -4),
            ha="right",
            textcoords="offset points",
            fontsize=10,
            fontweight="bold",
            color=STYLES[RAW_HTTP_LOOP]["color"],
        )
    if CALL_HTTP_LOOP in at_n:
        posts = at_n[CALL_HTTP_LOOP]["billing_posts"]
        ax.annotate(
            f"{posts:,} (both fixes)",
            (published_n, posts),
            xytext=(24, -26),
            ha="right",
            textcoords="offset points",
            fontsize=10,
            fontweight="bold",
            color="0.2",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(ns, [str(n) for n in ns])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(ns[0] * 0.75, ns[-1] * 1.3)
    ax.set_xlabel("invoices (N)")
    ax.set_ylabel("POSTs received")
    ax.set_title("POSTs the billing API received", loc="left")
    ax.grid(True, which="major", alpha=0.3)


def _times(ax: Axes, runs: dict[str, dict[str, Any]], data: dict[str, Any]) -> None:
    published = data["published"]
    factor = 1 / data["profile"]["time_scale"]
    known = {
        RAW_HTTP_LOOP: published["raw_http_loop_s"],
        CALL_HTTP_LOOP: published["call_http_loop_s"],
    }
    names = [name for name in ORCHESTRATORS if name in runs]
    height = 0.38
    label = {"xytext": (4, 0), "textcoords": "offset points", "va": "center", "fontsize": 9.5}
    for y, name in enumerate(names):
        color = STYLES[name]["color"]
        measured = runs[name].get("azure_scale_s")
        if measured is not None:
            ax.barh(y - height / 2, measured / 60, height, color=color)
            text = f"measured, x{factor:.0f}: {format_duration(measured)}"
            ax.annotate(text, (measured / 60, y - height / 2), **label)
        if name in known:
            ax.barh(
                y + height / 2,
                known[name] / 60,
                height,
                color="white",
                edgecolor=color,
                hatch="///",
            )
            text = f"published: {known[name] / 60:.0f} min"
            ax.annotate(text, (known[name] / 60, y + height / 2), **label)
        else:
            ax.annotate("(no published figure)", (0, y + height / 2), **label)
    ax.set_yticks(range(len(names)), [STYLES[name]["label"].replace(" (", "\n(") for name in names])
    ax.set_ylim(len(names) - 0.45, -0.55)
    ax.set_xlabel("minutes at Azure scale")
    ax.set_title("Whole run at N = 50, scaled back to Azure", loc="left")
    ax.text(
        0.98,
        0.06,
        f"anti-pattern : call_http\n{_ratio(runs)} measured\n{published['ratio']:.1f}x published",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=11,
        fontweight="bold",
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.6"},
    )
    ax.set_xlim(0, max(_top(runs), published["raw_http_loop_s"]) / 60 * 1.45)
    ax.grid(True, axis="x", alpha=0.3)


def _ratio(runs: dict[str, dict[str, Any]]) -> str:
    ratio = measured_ratio(list(runs.values()))
    return f"{ratio:.1f}x" if ratio else "n/a"


def _top(runs: dict[str, dict[str, Any]]) -> float:
    return max((run.get("azure_scale_s") or 0 for run in runs.values()), default=0)


def _azure(run: dict[str, Any]) -> str:
    seconds = run.get("azure_scale_s")
    return format_duration(seconds) if seconds is not None else "n/a"


def _short(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.0f} s"


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "?"
