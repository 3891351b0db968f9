"""Test any Python Durable Functions app (v2 function_app.py or v1 function.json folders).

    async with durable_app("path/to/app") as app:       # or the `durable_app` pytest fixture
        instance_id = await app.start("hello_sequence", ["Tokyo"])
        status = await app.wait(instance_id)            # the SDK's DurableOrchestrationStatus
        assert status.output == ["Hello Tokyo!"]
        assert app.counters(instance_id).episodes == 2

`DurableApp` drives the app through the SDK's own `DurableOrchestrationClient`, so inputs and
outputs are serialised exactly as in production. `running_host` is the lower-level form (an
`EmbeddedHost` and its URLs); both set the app's settings for the host's lifetime, import the
app afresh, and close everything they started. `HostFactory` and `DurableAppFactory` are the
fixture forms: they remember what they started and close it all. docs/testing-your-app.md is
the guide; `devhost.testing.pytest_plugin` holds the fixtures. With a bare host, read results
through the engine's public API (`host.engine.wait(id)`, `.status(id)`, `.history(id)`,
`.counters(id)`), and wait for anything else with `wait_until`:

    await wait_until(lambda: host.engine.counters(id).episodes == 2, 10, "two episodes")

Pass `store=SqliteStore(folder)` to persist state as `python -m devhost serve` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import aiohttp
import azure.durable_functions as df

from devhost.http.client_binding import client_binding_json
from devhost.http.durable_query import TERMINAL
from devhost.http.server import EmbeddedHost
from devhost.replay.counters import InstanceCounters
from devhost.runtime.engine import DurableEngine, EngineSettings
from devhost.runtime.store import Store
from devhost.work.strict import OnFinding, StrictMode


@contextlib.asynccontextmanager
async def running_host(
    app_module: str = "function_app",
    *,
    app_dir: str | Path | None = None,
    settings: EngineSettings | None = None,
    env: Mapping[str, str] | None = None,
    port: int = 0,
    store: Store | None = None,
    strict: OnFinding | None = None,
) -> AsyncIterator[EmbeddedHost]:
    """An `EmbeddedHost` on 127.0.0.1:`port` (0 = free port), closed on exit.

    The app's own local.settings.json (else its .example) applies, over the process environment
    (a developer's shell must not redirect a test); `env` overrides both, until the host is
    closed. `settings` configures the replay engine; `store` keeps the instances (default: in
    memory; `SqliteStore(folder)` persists them). `strict` is `--strict`: "warn" counts side
    effects of orchestrator code in the instance's counters (`strict_findings`), "fail" fails
    the instance at the first one (devhost/work/strict.py).
    """
    if strict is not None:
        settings = dataclasses.replace(settings or EngineSettings(), strict=StrictMode(strict))
    host = EmbeddedHost(
        app_module,
        app_dir=app_dir,
        port=port,
        engine_settings=settings,
        store=store,
        app_settings=env,
        environment_wins=False,
    )
    await host.start()
    try:
        yield host
    finally:
        await host.close()


class HostFactory:
    """Starts hosts on demand and closes all of them at teardown (pytest fixture factory)."""

    def __init__(self) -> None:
        self._stack = contextlib.AsyncExitStack()

    async def __call__(self, app_module: str = "function_app", **kwargs: Any) -> EmbeddedHost:
        return await self._stack.enter_async_context(running_host(app_module, **kwargs))

    async def aclose(self) -> None:
        await self._stack.aclose()


async def poll_status(
    http: aiohttp.ClientSession, status_url: str, *, timeout: float = 30.0, interval: float = 0.02
) -> dict[str, Any]:
    """GET a status URL until the instance is terminal; the last status JSON.

    Raises TimeoutError naming the last runtime status if it never finishes.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    body: dict[str, Any] = {}
    while loop.time() < deadline:
        async with http.get(status_url) as response:
            body = await response.json() if response.status in (200, 202) else {}
        if body.get("runtimeStatus") in TERMINAL:
            return body
        await asyncio.sleep(interval)
    raise TimeoutError(f"{status_url} still {body.get('runtimeStatus')!r} after {timeout}s")


class DurableApp:
    """One app served by an embedded host, with what a test needs: start, wait, inspect."""

    def __init__(self, host: EmbeddedHost) -> None:
        assert host.engine is not None and host.webhooks is not None, "start the host first"
        self.host = host
        # The SDK's own client, bound as the `durableClient` binding would bind it.
        self.client = df.DurableOrchestrationClient(client_binding_json(host.webhooks))

    @property
    def engine(self) -> DurableEngine:
        assert self.host.engine is not None
        return self.host.engine

    def url(self, path: str) -> str:
        """An absolute URL on this host, e.g. `app.url("api/orchestrators/hello")`."""
        return self.host.url(path)

    async def start(
        self, orchestrator: str, input: Any = None, *, instance_id: str | None = None
    ) -> str:
        """Start an orchestration as a starter function would (`client.start_new`)."""
        return await self.client.start_new(orchestrator, instance_id, input)

    async def wait(
        self, instance_id: str, *, timeout: float = 30.0
    ) -> df.DurableOrchestrationStatus:
        """Wait until the instance is Completed, Failed or Terminated; its status.

        Raises TimeoutError naming the instance and its runtime status if it never ends.
        """
        try:
            await self.engine.wait(instance_id, timeout)
        except TimeoutError:
            status = self.engine.status(instance_id) or {}
            raise TimeoutError(
                f"instance {instance_id} ({status.get('name')}) still "
                f"{status.get('runtimeStatus')!r} after {timeout}s"
            ) from None
        return await self.status(instance_id)

    async def run(
        self, orchestrator: str, input: Any = None, *, timeout: float = 30.0
    ) -> df.DurableOrchestrationStatus:
        """Start an orchestration and wait for it to end."""
        return await self.wait(await self.start(orchestrator, input), timeout=timeout)

    async def status(self, instance_id: str) -> df.DurableOrchestrationStatus:
        return await self.client.get_status(instance_id)

    async def history(self, instance_id: str) -> list[dict[str, Any]]:
        """The history as the status API shows it (`showHistory`, `showHistoryOutput`)."""
        status = await self.client.get_status(
            instance_id, show_history=True, show_history_output=True
        )
        return list(status.historyEvents or [])

    def events(self, instance_id: str) -> list[dict[str, Any]]:
        """The stored history of the current execution, every event as the host keeps it
        (TaskScheduled and TaskCompleted separately, IsPlayed, OrchestratorStarted...)."""
        return self.engine.history(instance_id)

    async def raise_event(self, instance_id: str, name: str, data: Any = None) -> None:
        await self.client.raise_event(instance_id, name, data)

    def counters(self, instance_id: str) -> InstanceCounters:
        """What the instance cost: episodes, history events, activities run, HTTP calls."""
        return self.engine.counters(instance_id)


@contextlib.asynccontextmanager
async def durable_app(
    app_dir: str | Path,
    *,
    script: str = "function_app",
    env: Mapping[str, str] | None = None,
    settings: EngineSettings | None = None,
    strict: OnFinding | None = None,
) -> AsyncIterator[DurableApp]:
    """Serve the app in `app_dir` on a free loopback port; closed on exit.

    `app_dir` holds `<script>.py` (v2) or function.json folders (v1). Its local.settings.json
    (else .example) applies, then `env`. `strict="fail"` fails an instance whose orchestrator
    code does I/O or reads the clock (see `running_host`).
    """
    async with running_host(
        script, app_dir=app_dir, env=env, settings=settings, strict=strict
    ) as host:
        yield DurableApp(host)


class DurableAppFactory:
    """`await factory(app_dir, env=...)` -> a `DurableApp`; `aclose()` closes every one."""

    def __init__(self) -> None:
        self._stack = contextlib.AsyncExitStack()

    async def __call__(self, app_dir: str | Path, **kwargs: Any) -> DurableApp:
        return await self._stack.enter_async_context(durable_app(app_dir, **kwargs))

    async def aclose(self) -> None:
        await self._stack.aclose()
