"""`python -m devhost serve`: run the app like `func start` does, until Ctrl-C.

Settings come from local.settings.json (else the committed .example) into the environment,
without overriding variables already set; then the host binds, opens the app's state
(`.devhost/` in the app folder) and resumes its unfinished instances, imports the app, and
prints the function list the way `func start` prints it.

Stopping (SIGINT or SIGTERM): the host stops accepting requests, starts no new work, and lets
the episodes, activities and HTTP calls that are running finish for up to `grace_s` seconds.
A second signal stops at once. Work cut off either way is in the store and runs again on the
next start. `serve` returns the exit code: 0 if nothing was cut off, EXIT_CUT_OFF if something was.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from devhost.http import local_settings
from devhost.http.client_binding import WEBHOOK_PATH
from devhost.http.server import EmbeddedHost
from devhost.runtime.engine import EngineSettings
from devhost.runtime.sqlite_store import SqliteStore
from devhost.runtime.store import MemoryStore, Store
from devhost.work.strict import OnFinding, StrictMode

STATE_DIR_NAME = ".devhost"
DEFAULT_GRACE_S = 10.0
EXIT_CUT_OFF = 3  # work was running when the host stopped; it resumes on the next start


@dataclass(frozen=True)
class ServeOptions:
    """What the command line asked for (already validated)."""

    port: int | None = None
    app_module: str = "function_app"
    app_dir: Path = Path(".")
    batching: str = "all"
    dispatch_delay_ms: float = 0.0
    episode_cost_ms: float = 0.0
    # App settings set over local.settings.json and the environment (the command line's
    # `--billing-latency-ms` is one); devhost knows no app, so names come from the caller.
    setting_overrides: Mapping[str, str] = field(default_factory=dict)
    host: str = "127.0.0.1"
    state_dir: Path | None = None  # None: <app_dir>/.devhost
    in_memory: bool = False  # keep no state between runs (MemoryStore)
    retention_days: float | None = None
    grace_s: float = DEFAULT_GRACE_S
    strict: OnFinding | None = None  # --strict: "warn" or "fail" (devhost/work/strict.py)


def banner(host: EmbeddedHost) -> str:
    """The startup text: the function list in `func start`'s layout, then how to stop."""
    settings_file = host.settings_file
    state = getattr(host.store, "folder", None)
    resumed = host.engine.resumed if host.engine is not None else 0
    lines = [
        f"Embedded Functions host (devhost) for '{host.app_module}'",
        f"App settings: {settings_file.name if settings_file else 'none found'}"
        " (environment variables win)",
        f"State: {state} (delete it to start afresh)" if state else "State: in memory only",
        f"Resumed {resumed} unfinished instance(s)." if resumed else "No instance to resume.",
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


def open_store(options: ServeOptions, app_dir: Path) -> Store:
    """The app's persistent store (raises StoreLockedError if another host has it)."""
    if options.in_memory:
        return MemoryStore()
    return SqliteStore(options.state_dir or app_dir / STATE_DIR_NAME)


async def serve(options: ServeOptions, out: TextIO) -> int:
    """Run until SIGINT/SIGTERM, then stop gracefully; the exit code."""
    app_dir = options.app_dir.resolve()
    found = local_settings.read_local_settings(app_dir)
    port = options.port if options.port is not None else found.func_start_port
    retention = None if options.retention_days is None else options.retention_days * 86400
    settings = EngineSettings(
        batching=options.batching,
        dispatch_delay_s=options.dispatch_delay_ms / 1000,
        episode_cost_s=options.episode_cost_ms / 1000,
        retention_s=retention,
        strict=None if options.strict is None else StrictMode(options.strict),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if not stop.is_set():
            stop.set()
            return
        print("Stopped at once; cut-off work resumes on the next start.", file=out, flush=True)
        os._exit(EXIT_CUT_OFF)  # a second Ctrl+C: no cleanup, no traceback (the store is safe)

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)
    store = open_store(options, app_dir)
    # The host reads the settings file itself; the overrides win over it and the environment.
    with local_settings.patched_environ(overrides=options.setting_overrides):
        async with EmbeddedHost(
            options.app_module,
            app_dir=app_dir,
            host=options.host,
            port=port,
            engine_settings=settings,
            store=store,
        ) as host:
            print(banner(host), file=out, flush=True)
            await stop.wait()
            print(
                f"\nStopping: no new requests; running work has {options.grace_s:g} s to finish "
                "(Ctrl+C again to stop at once)...",
                file=out,
                flush=True,
            )
            finished = await host.shutdown(options.grace_s)
            if not finished:
                print(
                    f"Work still running after {options.grace_s:g} s was cut off; "
                    "it resumes on the next start.",
                    file=out,
                    flush=True,
                )
    return 0 if finished else EXIT_CUT_OFF


def exit_now(code: int) -> None:
    """Leave without waiting for worker threads that may still run cut-off work."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
