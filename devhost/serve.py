"""`python -m devhost serve`: run the app like `func start` does, until Ctrl-C.

Settings come from local.settings.json (else the committed .example) into the environment,
without overriding variables already set; then the host binds, imports the app, and prints the
function list the way `func start` prints it.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from devhost import local_settings
from devhost.client_binding import WEBHOOK_PATH
from devhost.engine import EngineSettings
from devhost.server import EmbeddedHost
from devhost.strict import OnFinding, StrictMode

DEFAULT_PORT = 7071


@dataclass(frozen=True)
class ServeOptions:
    """What the command line asked for (already validated)."""

    port: int | None = None
    app_module: str = "function_app"
    app_dir: Path = Path(".")
    batching: str = "all"
    dispatch_delay_ms: float = 0.0
    billing_latency_ms: int | None = None
    host: str = "127.0.0.1"
    strict: OnFinding | None = None  # --strict: "warn" or "fail" (devhost/strict.py)


def banner(host: EmbeddedHost, settings_file: Path | None) -> str:
    """The startup text: the function list in `func start`'s layout, then how to stop."""
    lines = [
        f"Embedded Functions host (devhost) for '{host.app_module}'",
        f"App settings: {settings_file.name if settings_file else 'none found'}"
        " (environment variables win)",
        "",
        "Functions:",
        "",
    ]
    for name, methods, url in host.function_urls():
        label = f"[{methods}] " if methods else ""
        lines.append(f"        {name}: {label}{url}")
        lines.append("")
    for name, trigger in host.other_functions():
        lines.append(f"        {name}: {trigger}")
        lines.append("")
    lines.append(f"Durable HTTP API: {host.base_url}{WEBHOOK_PATH}/")
    lines.append("Function keys are not checked (as under func start).")
    if host.engine_settings.strict is not None:
        mode = host.engine_settings.strict.on_finding
        lines.append(f"--strict={mode}: orchestrator code is watched for side effects.")
    lines.append("Press Ctrl+C to stop.")
    return "\n".join(lines)


async def serve(options: ServeOptions, out: TextIO) -> None:
    """Run until SIGINT/SIGTERM, then close the host cleanly."""
    app_dir = options.app_dir.resolve()
    found = local_settings.read_local_settings(app_dir)
    port = options.port if options.port is not None else found.local_http_port or DEFAULT_PORT
    overrides = {}
    if options.billing_latency_ms is not None:
        overrides["FAKE_BILLING_LATENCY_MS"] = str(options.billing_latency_ms)
    settings = EngineSettings(
        batching=options.batching,
        dispatch_delay_s=options.dispatch_delay_ms / 1000,
        strict=None if options.strict is None else StrictMode(options.strict),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    with local_settings.patched_environ(defaults=found.values, overrides=overrides):
        async with EmbeddedHost(
            options.app_module,
            app_dir=app_dir,
            host=options.host,
            port=port,
            engine_settings=settings,
        ) as host:
            print(banner(host, found.path), file=out, flush=True)
            await stop.wait()
            print("\nStopping...", file=out, flush=True)
    logging.getLogger("devhost").info("stopped")
