"""All console output of the comparison client: results, progress and errors.

Results go to stdout; progress and errors go to stderr, so ``> table.txt`` captures only the
table. ``--quiet`` hides progress. Colour (only the error prefix) is used only on a terminal
and never when NO_COLOR is set. ``quiet_app_logs`` keeps the app's own log lines off the
console (the demo and the benchmarks both run the app in-process).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from typing import TextIO

_COLOURS = {"bold": "1", "red": "31", "dim": "2"}


class Console:
    """The one place that writes to the terminal."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        out: TextIO | None = None,
        err: TextIO | None = None,
        min_interval_s: float = 2.0,
    ) -> None:
        self.quiet = quiet
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._tty = self.err.isatty()
        self._colour = self._tty and "NO_COLOR" not in os.environ
        self._min_interval_s = min_interval_s
        self._last_line = ""
        self._last_time = float("-inf")
        self._open_line = False

    def style(self, text: str, colour: str) -> str:
        """``text`` in ``colour`` when stderr is a terminal; unchanged otherwise."""
        if not self._colour or colour not in _COLOURS:
            return text
        return f"\033[{_COLOURS[colour]}m{text}\033[0m"

    def result(self, text: str = "") -> None:
        """A line of the results (the tables, the figure's path): always shown."""
        self._end_progress()
        print(text, file=self.out, flush=True)

    def info(self, text: str) -> None:
        """A step of the work ("starting the host..."): hidden by --quiet."""
        if self.quiet:
            return
        self._end_progress()
        print(text, file=self.err, flush=True)

    def progress(self, text: str, *, final: bool = False) -> None:
        """A progress line that replaces the previous one on a terminal.

        Off a terminal (CI logs) it prints a new line only when the text changed and at most
        every ``min_interval_s``, so logs stay short.
        """
        if self.quiet or text == self._last_line:
            return
        now = time.monotonic()
        if self._tty:
            width = shutil.get_terminal_size().columns - 1  # a wrapped line cannot be rewritten
            shown = text if len(text) <= width else text[: max(0, width - 3)] + "..."
            pad = " " * max(0, len(self._last_line) - len(shown))
            self.err.write(f"\r{shown}{pad}")
            self.err.flush()
            self._open_line = True
            text = shown
        elif final or now - self._last_time >= self._min_interval_s:
            print(text, file=self.err, flush=True)
            self._last_time = now
        else:
            return
        self._last_line = text

    def error(self, text: str) -> None:
        """One plain sentence; the caller chooses the exit code."""
        self._end_progress()
        print(f"{self.style('error:', 'red')} {text}", file=self.err, flush=True)

    def _end_progress(self) -> None:
        if self._open_line:
            self.err.write("\n")
            self.err.flush()
            self._open_line = False
        self._last_line = ""


def quiet_app_logs(verbose: bool = False) -> None:
    """The app logs every raw call on purpose (the replay storm); the table says it better.

    Without a handler Python would print WARNING records to stderr, 20,100 of them in the sweep,
    so only errors are kept unless ``verbose`` (the demo's ``--verbose``).
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.ERROR)
