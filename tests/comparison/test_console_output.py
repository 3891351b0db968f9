"""Console output: results on stdout, progress on stderr, --quiet, no colour off a terminal."""

from __future__ import annotations

import io

from comparison.console import Console


def console(quiet: bool = False) -> tuple[Console, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Console(quiet=quiet, out=out, err=err, min_interval_s=0), out, err


def test_results_go_to_stdout_and_progress_to_stderr() -> None:
    c, out, err = console()
    c.info("starting")
    c.progress("[ 1.0 s] raw_http_loop 3/5")
    c.result("the table")
    assert out.getvalue() == "the table\n"
    assert err.getvalue() == "starting\n[ 1.0 s] raw_http_loop 3/5\n"


def test_quiet_hides_progress_and_steps_but_not_results_or_errors() -> None:
    c, out, err = console(quiet=True)
    c.info("starting")
    c.progress("raw_http_loop 3/5")
    c.result("the table")
    c.error("Cannot reach the host.")
    assert out.getvalue() == "the table\n"
    assert err.getvalue() == "error: Cannot reach the host.\n"


def test_off_a_terminal_progress_prints_only_changes_and_never_escape_codes() -> None:
    c, _, err = console()
    for text in ["a 1/5", "a 1/5", "a 2/5"]:
        c.progress(text)
    c.error("boom")
    assert err.getvalue() == "a 1/5\na 2/5\nerror: boom\n"
    assert "\033[" not in err.getvalue() and "\r" not in err.getvalue()


def test_off_a_terminal_progress_is_throttled_but_the_final_line_is_kept() -> None:
    out, err = io.StringIO(), io.StringIO()
    c = Console(out=out, err=err, min_interval_s=3600)
    c.progress("a 1/5")
    c.progress("a 2/5")
    c.progress("a 5/5 Completed", final=True)
    assert err.getvalue() == "a 1/5\na 5/5 Completed\n"
