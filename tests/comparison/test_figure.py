"""The figures: drawn from demo.json alone; the hero tells one story with few marks."""

import json
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Annotation, Text

from comparison.cost_model import expected_counts
from comparison.figure import draw_details, draw_figure, write_figure
from comparison.profile import AzureLikeProfile
from comparison.results import PUBLISHED
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, ORCHESTRATORS, RAW_HTTP_LOOP

PATH_LIKE = re.compile(r"[A-Za-z_][\w.-]*/[A-Za-z_][\w.-]*|\.(py|md|json|png)\b")


def run(name: str, n: int, episode_wall_s: list[float] | None) -> dict:
    counts = expected_counts(name, n)
    return {
        "orchestrator": name,
        "count": n,
        "status": "Completed",
        "wall_s": sum(episode_wall_s or [0.1]),
        "azure_scale_s": sum(episode_wall_s or [0.1]) * 40,
        "host_own_s": sum(episode_wall_s or [0.1]) / 5,
        "episodes": counts.episodes,
        "billing_posts": counts.raw_calls + counts.http_calls,
        "durable_http_calls": counts.http_calls,
        "episode_wall_s": episode_wall_s,
        "episode_host_s": [0.0035 * k * (name == RAW_HTTP_LOOP) for k in range(counts.episodes)]
        if episode_wall_s
        else None,
    }


@pytest.fixture
def data() -> dict:
    runs = [
        run(name, 50, [0.017 + 0.0165 * k * (name == RAW_HTTP_LOOP) for k in range(episodes)])
        for name, episodes in zip(ORCHESTRATORS, (51, 101, 3), strict=True)
    ]
    sweep = [run(name, n, None) for n in (5, 10, 20, 50) for name in ORCHESTRATORS]
    profile = AzureLikeProfile().as_json()
    return {"profile": profile, "published": PUBLISHED, "runs": runs, "sweep": sweep}


def test_the_figures_are_pngs_drawn_from_the_json_alone(data: dict, tmp_path: Path) -> None:
    written = write_figure(json.loads(json.dumps(data)), tmp_path / "nested" / "figure.png")
    assert [p.name for p in written] == ["figure.png", "figure-details.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in written)


def test_the_hero_has_one_axis_three_series_with_their_posts_and_at_most_five_notes(
    data: dict,
) -> None:
    fig = draw_figure(data)
    try:
        assert len(fig.axes) == 1  # one y-axis, no second panel
        labels = fig.legends[0].get_texts()
        assert [t.get_text() for t in labels] == [
            f"{RAW_HTTP_LOOP} (anti-pattern): 1,275 POSTs",
            f"{CALL_HTTP_LOOP} (fix 1): 50 POSTs",
            f"{FAN_OUT_FAN_IN} (fix 2): 50 POSTs",
            "the host's own work (not scaled)",
        ]
        assert len([t for t in fig.findobj(Annotation)]) <= 5
        texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
        assert not [t for t in texts if PATH_LIKE.search(t)]
    finally:
        plt.close(fig)


def test_the_published_passes_sit_on_the_anti_patterns_first_and_last_episode(
    data: dict,
) -> None:
    fig = draw_figure(data)
    try:
        (ax,) = fig.axes
        (marks,) = [line for line in ax.get_lines() if line.get_marker() == "D"]
        # ~850 ms and ~35 s per pass, at 1/50: 17 ms on episode 0, 700 ms on episode 50
        assert list(marks.get_xdata()) == [0, 50]
        assert list(marks.get_ydata()) == pytest.approx([17, 700])
        notes = {a.get_text().split(",")[0]: a.xy for a in fig.findobj(Annotation)}
        assert notes["the post's first pass"] == (0, pytest.approx(17))
        assert notes["the post's last pass"] == (50, pytest.approx(700))
    finally:
        plt.close(fig)


def test_the_details_draw_the_fixes_posts_at_their_true_n(data: dict) -> None:
    fig = draw_details(data)
    try:
        posts_ax = fig.axes[0]
        lines = {line.get_label().split()[0]: line for line in posts_ax.get_lines()}
        fix1, fix2 = lines[CALL_HTTP_LOOP], lines[FAN_OUT_FAN_IN]
        assert list(fix1.get_ydata()) == list(fix2.get_ydata()) == [5, 10, 20, 50]
        assert list(fix1.get_xdata()) == list(fix2.get_xdata()) == [5, 10, 20, 50]
        assert list(lines[RAW_HTTP_LOOP].get_ydata()) == [15, 55, 210, 1275]
    finally:
        plt.close(fig)
