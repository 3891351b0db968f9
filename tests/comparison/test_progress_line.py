"""The progress line: time, sweep position, billing POSTs so far, each run; under 80 columns."""

import time

from comparison.compare import PROGRESS_WIDTH, posts_of, progress_line
from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP


def summary(name: str, status: str, done: int = 0, total: int = 50) -> dict:
    return {
        "name": name,
        "runtime_status": status,
        "custom_status": {"phase": "posting", "done": done, "total": total},
    }


def three(raw: tuple, call: tuple, fan: tuple) -> dict[str, dict]:
    """The side-by-side runs, each given as ``summary``'s (status, done[, total])."""
    return {
        "a": summary(RAW_HTTP_LOOP, *raw),
        "b": summary(CALL_HTTP_LOOP, *call),
        "c": summary(FAN_OUT_FAN_IN, *fan),
    }


def test_side_by_side_line_names_each_run_and_the_posts_so_far() -> None:
    runs = three(("Running", 31), ("Completed", 50), ("Completed", 50))
    line = progress_line(runs, started=time.monotonic(), posts=1275)
    assert line.strip().split("  ")[1:] == [
        "1,275 POSTs",
        "raw_http_loop 31/50",
        "call_http_loop ok",
        "fan_out_fan_in ok",
    ]
    assert len(line) <= PROGRESS_WIDTH


def test_sweep_line_shows_its_position_and_stays_under_80_columns() -> None:
    runs = three(("Running", 16, 200), ("Running", 150, 200), ("Completed", 200, 200))
    line = progress_line(runs, started=time.monotonic(), posts=20100, label="N=200 (6/6)")
    assert line.strip().split("  ")[1:] == [
        "N=200 (6/6)",
        "20,100 POSTs",
        "raw 16/200",
        "call 150/200",
        "1 ok",
    ]
    assert len(line) <= PROGRESS_WIDTH


def test_finished_runs_are_folded_before_names_are_shortened() -> None:
    runs = three(("Running", 16), ("Completed",), ("Completed",))
    line = progress_line(runs, started=time.monotonic(), posts=201, label="N=50 (4/4)")
    assert line.strip().split("  ")[1:] == [
        "N=50 (4/4)",
        "201 POSTs",
        "raw_http_loop 16/50",
        "2 ok",
    ]


def test_a_failed_run_is_always_named() -> None:
    runs = three(("Failed", 3), ("Completed",), ("Completed",))
    line = progress_line(runs, time.monotonic(), 10, "N=5 (1/4)")
    assert "raw_http_loop Failed" in line


def test_three_running_runs_get_short_names_when_the_line_is_too_wide() -> None:
    runs = {
        "a": summary(RAW_HTTP_LOOP, "Running", 3),
        "b": {"name": CALL_HTTP_LOOP, "runtime_status": "Running", "custom_status": None},
        "c": summary(FAN_OUT_FAN_IN, "Running", 0),
    }
    line = progress_line(runs, started=time.monotonic(), posts=0)
    assert line.strip().split("  ")[1:] == ["0 POSTs", "raw 3/50", "call running", "fan 0/50"]
    assert len(line) <= PROGRESS_WIDTH


def test_posts_so_far_are_the_runs_own_and_other_stats_keys_are_ignored() -> None:
    stats = {
        "received": 1400,
        "billed": 100,
        "duplicates": 1225,
        "by_run": {
            "raw": {"received": 1275, "distinct_invoices": 50, "billed": 50, "duplicates": 1225},
            "loop": {"received": 50, "distinct_invoices": 50},
            "someone-else": {"received": 75},
        },
    }
    assert posts_of(stats, ["raw", "loop", "not-yet"]) == 1325
    assert posts_of({"by_run": []}, ["raw"]) == 0
