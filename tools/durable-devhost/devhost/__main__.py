"""Command line: `devhost serve [--port 7071] [--app function_app] ...` (the console script
an install adds), the same as `python -m devhost serve ...`.

Only parsing and validation live here; the work is in `devhost.http.serve`. Exit codes: 0 stopped
with nothing cut off; 1 could not start (port taken, app not loadable, state in use by another
host); 2 bad arguments; 3 (EXIT_CUT_OFF) stopped while work was running (it resumes on the next
start).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from devhost.http.local_settings import ConfigFileError
from devhost.http.serve import DEFAULT_GRACE_S, ServeOptions, exit_now, serve
from devhost.http.server import AppLoadError
from devhost.runtime.store import StoreError

# The app setting `--billing-latency-ms` sets: the stand-in billing API's answer delay in the app
# this repository serves (app_settings.FAKE_BILLING_LATENCY_MS). devhost imports no app, so the
# name is spelled here, once, and tests/devhost/test_serve_command_line.py keeps the two equal.
BILLING_LATENCY_SETTING = "FAKE_BILLING_LATENCY_MS"


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text}")
    return value


def _prog() -> str:
    """What the user typed: the `devhost` console script, or `python -m devhost`."""
    return "devhost" if Path(sys.argv[0]).stem == "devhost" else "python -m devhost"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=_prog(), description="Embedded Functions + Durable host on loopback."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="serve the app like `func start`")
    serve_cmd.add_argument("--port", type=_port, default=None, help="default 7071")
    serve_cmd.add_argument(
        "--app", default="function_app", help="app module (default: %(default)s)"
    )
    serve_cmd.add_argument("--app-dir", type=Path, default=Path("."), help="folder of the app")
    serve_cmd.add_argument("--batching", choices=("all", "one"), default="all")
    serve_cmd.add_argument("--dispatch-delay-ms", type=_non_negative, default=0.0)
    serve_cmd.add_argument(
        "--episode-cost-ms",
        type=_non_negative,
        default=0.0,
        help="the least an episode lasts, its replay included (the demo's Azure-like profile)",
    )
    serve_cmd.add_argument(
        "--billing-latency-ms",
        type=_non_negative,
        default=None,
        help=f"sets the app setting {BILLING_LATENCY_SETTING}",
    )
    serve_cmd.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="where state persists (default: APP_DIR/.devhost)",
    )
    serve_cmd.add_argument(
        "--in-memory", action="store_true", help="keep no state: every start is a fresh host"
    )
    serve_cmd.add_argument(
        "--retention-days",
        type=_non_negative,
        default=None,
        help="purge finished instances older than this at start (default: keep them)",
    )
    serve_cmd.add_argument(
        "--grace-s",
        type=_non_negative,
        default=DEFAULT_GRACE_S,
        help="on Ctrl+C/SIGTERM, how long running work may finish (default: %(default)s)",
    )
    serve_cmd.add_argument(
        "--strict",
        nargs="?",
        const="warn",
        choices=("warn", "fail"),
        default=None,
        help="watch orchestrator code for side effects at run time: warn (once per line, "
        "counted per instance) or fail the instance (--strict=fail)",
    )
    serve_cmd.add_argument("-v", "--verbose", action="store_true", help="log every invocation")
    return parser.parse_args(argv)


def _setting_overrides(args: argparse.Namespace) -> dict[str, str]:
    """The app settings the flags set (whole milliseconds, as the setting is read)."""
    if args.billing_latency_ms is None:
        return {}
    return {BILLING_LATENCY_SETTING: str(int(args.billing_latency_ms))}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="[%(asctime)s] %(message)s",
        datefmt="%Y-%m-%dT%H:%M:%S",
    )
    options = ServeOptions(
        port=args.port,
        app_module=args.app,
        app_dir=args.app_dir,
        batching=args.batching,
        dispatch_delay_ms=args.dispatch_delay_ms,
        episode_cost_ms=args.episode_cost_ms,
        setting_overrides=_setting_overrides(args),
        state_dir=args.state_dir,
        in_memory=args.in_memory,
        retention_days=args.retention_days,
        grace_s=args.grace_s,
        strict=args.strict,
    )
    try:
        code = asyncio.run(serve(options, sys.stdout))
    except OSError as exc:  # e.g. the port is taken
        print(f"devhost: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except (AppLoadError, ConfigFileError, StoreError) as exc:
        print(f"devhost: {exc}", file=sys.stderr)
        return 1
    logging.getLogger("devhost").info("stopped")
    # Exit now: "stopped" is the last word even if cut-off work still holds a worker thread
    # (the store is closed; everything it holds is committed).
    exit_now(code)
    return code  # not reached


if __name__ == "__main__":
    sys.exit(main())
