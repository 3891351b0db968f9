"""The figure: drawn from demo.json alone, every series visible, no file paths in its text."""

import json
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from comparison.cost_model import expected_counts
from comparison.figure import draw_figure, write_figure
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
        "azure_scale_s": sum(episode_wall_s or [0.1]) * 50,
        "episodes": counts.episodes,
        "billing_posts": counts.raw_calls + counts.http_calls,
        "durable_http_calls": counts.http_calls,
        "episode_wall_s": episode_wall_s,
    }


@pytest.fixture
def data() -> dict:
    side = [
        run(name, 50, [0.017 + 0.0135 * k * (name == RAW_HTTP_LOOP) for k in range(episodes)])
        for name, episodes in zip(ORCHESTRATORS, (51, 101, 3), strict=True)
    ]
    sweep = [run(name, n, None) for n in (5, 10, 20, 50) for name in ORCHESTRATORS]
    profile = AzureLikeProfile().as_json()
    return {"profile": profile, "published": PUBLISHED, "side_by_side": side, "sweep": sweep}


def test_figure_is_a_png_drawn_from_the_json_alone(data: dict, tmp_path: Path) -> None:
    path = write_figure(json.loads(json.dumps(data)), tmp_path / "nested" / "figure.png")
    assert path.read_bytes().startswith(b"\x89PNG")


def test_every_series_is_drawn_and_the_fixes_posts_do_not_overlap(data: dict) -> None:
    fig = draw_figure(data)
    try:
        episodes_ax, posts_ax, _ = fig.axes[:3]
        labels = [line.get_label() for line in episodes_ax.get_lines()]
        assert sum(label.startswith(name) for name in ORCHESTRATORS for label in labels) == 3
        lines = {
            line.get_label().split()[0]: line
            for line in posts_ax.get_lines()
            if line.get_label().split()[0] in ORCHESTRATORS
        }
        assert set(lines) == set(ORCHESTRATORS)
        fix1, fix2 = lines[CALL_HTTP_LOOP], lines[FAN_OUT_FAN_IN]
        assert list(fix1.get_ydata()) == list(fix2.get_ydata()) == [5, 10, 20, 50]
        assert all(a != b for a, b in zip(fix1.get_xdata(), fix2.get_xdata(), strict=True))
    finally:
        plt.close(fig)


def test_title_carries_the_key_numbers_and_no_text_is_a_file_path(data: dict) -> None:
    fig = draw_figure(data)
    try:
        texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
        title = fig.get_suptitle()
        assert "1,275 vs 50 POSTs" in title and "51 / 101 / 3 episodes" in title
        assert "published: 15 min vs ~2 min" in title
        assert not [t for t in texts if PATH_LIKE.search(t)]
    finally:
        plt.close(fig)
