"""EmbeddedHost: the Functions host and the Durable extension for one app, on loopback.

It owns one aiohttp server and one `DurableEngine`. The server answers three families of URLs:
the app's HTTP triggers under `/<routePrefix>/` (host.json, default "api"), the extension's
public webhooks under `/runtime/webhooks/durabletask/`, and the extension's RPC endpoint under
`/durabletask/` (on the real host that one listens on its own port, 17071). The port is bound
before the app is imported, so the app's settings can name this host's own URLs.

The app comes from `app_dir` only (`devhost.http.app_loader`: function_app.py, else function.json
folders), with the settings of that app's own local.settings.json and the environment.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from aiohttp import web

from devhost.http import local_settings
from devhost.http.app_loader import load_app
from devhost.http.client_binding import (
    DEFAULT_CONNECTION_NAME,
    RPC_PATH,
    WEBHOOK_PATH,
    WebhookConfig,
    client_binding_json,
)
from devhost.http.durable_api import DurableHttpApi
from devhost.http.heap import freeze_startup_heap
from devhost.http.http_limits import (
    IDLE_TIMEOUT_S,
    MAX_REQUEST_BYTES,
    MIN_REQUEST_BODY_DATA_RATE,
    MinDataRate,
    kestrel_limits,
)
from devhost.http.http_trigger import ClientBinding, HttpFunction, build_request, invoke, to_aiohttp
from devhost.runtime.engine import DurableEngine, EngineSettings
from devhost.runtime.store import Store
from devhost.work import invocation_log
from devhost.work.activities import timespan
from devhost.work.function_index import FunctionIndex

_RETRY_LATER = {"Retry-After": "10"}


class AppLoadError(RuntimeError):
    """The app module could not be imported or indexed (the host would not start either)."""


class EmbeddedHost:
    """Serve one app module; `async with EmbeddedHost(...) as host:` or start()/close()."""

    _live = 0  # hosts started in this process and not closed yet

    def __init__(
        self,
        app_module: str = "function_app",
        *,
        app_dir: str | Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        engine_settings: EngineSettings | None = None,
        store: Store | None = None,
        app_settings: Mapping[str, str] | None = None,
        environment_wins: bool = True,
        max_request_bytes: int = MAX_REQUEST_BYTES,
        idle_timeout_s: float = IDLE_TIMEOUT_S,
        min_request_body_rate: MinDataRate = MIN_REQUEST_BODY_DATA_RATE,
    ) -> None:
        """`app_settings` override everything else; the settings file's `Values` yield to the
        environment unless `environment_wins` is False (tests: a developer's shell must not
        redirect the app)."""
        self.app_module = app_module
        self.app_dir = Path(app_dir or os.getcwd()).resolve()
        self.host = host
        self.requested_port = port
        self.engine_settings = engine_settings or EngineSettings()
        self.store = store  # None: in memory
        self.app_settings = dict(app_settings or {})
        self.environment_wins = environment_wins
        self.settings_file: Path | None = None
        self.max_request_bytes = max_request_bytes
        self.idle_timeout_s = idle_timeout_s
        self.min_request_body_rate = min_request_body_rate
        self.port = 0
        self.engine: DurableEngine | None = None
        self.index: FunctionIndex | None = None
        self.http_functions: list[HttpFunction] = []
        self.route_prefix = "api"
        self.webhooks: WebhookConfig | None = None
        self.function_timeout_s: float | None = local_settings.DEFAULT_FUNCTION_TIMEOUT_S
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._stopping = False  # shutdown() began: new requests get 503
        self._executor: ThreadPoolExecutor | None = None
        self._env = contextlib.ExitStack()  # app settings this host set, restored on close
        self._api: DurableHttpApi | None = None
        self._closed = False
        self._started = False
        self._added_path: str | None = None

    @property
    def base_url(self) -> str:
        """Where this host answers, e.g. http://127.0.0.1:7071 (no trailing slash)."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    async def __aenter__(self) -> EmbeddedHost:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> EmbeddedHost:
        """Bind the port, set the app's environment, import and index the app, start the engine."""
        EmbeddedHost._live += 1
        self._started = True
        app = web.Application(
            client_max_size=self.max_request_bytes,
            middlewares=[kestrel_limits(self.max_request_bytes, self.min_request_body_rate)],
        )
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        # Bodies pass through compressed, as the Functions host passes them (http_limits.py).
        self._runner = web.AppRunner(
            app,
            access_log=None,
            shutdown_timeout=1.0,
            keepalive_timeout=self.idle_timeout_s,
            auto_decompress=False,
        )
        try:
            await self._runner.setup()
            site = self._site = web.TCPSite(self._runner, self.host, self.requested_port)
            await site.start()
            self.port = self._runner.addresses[0][1]
            self._apply_settings()
            self._load_app()
            assert self.engine is not None
            await self.engine.start()
            freeze_startup_heap()  # no full collection over the imported heap mid-run (heap.py)
        except BaseException:
            await self.close()
            raise
        return self

    def _apply_settings(self) -> None:
        """The app's own settings file, then `app_settings`, into the environment until close."""
        found = local_settings.read_local_settings(self.app_dir)
        self.settings_file = found.path
        values = local_settings.follow_own_port(found.values, self.base_url, found.local_http_port)
        if self.environment_wins:
            patch = local_settings.patched_environ(defaults=values, overrides=self.app_settings)
        else:
            patch = local_settings.patched_environ(overrides={**values, **self.app_settings})
        self._env.enter_context(patch)

    def _load_app(self) -> None:
        host_json = local_settings.read_host_json(self.app_dir)
        self.route_prefix = local_settings.route_prefix(host_json)
        try:
            self.function_timeout_s = local_settings.function_timeout_s(host_json)
        except local_settings.ConfigFileError as exc:
            raise AppLoadError(f"cannot load the app in {self.app_dir}: {exc}") from None
        if str(self.app_dir) not in sys.path:  # the worker puts the app root first
            sys.path.insert(0, str(self.app_dir))
            self._added_path = str(self.app_dir)
        # A fresh import, as a new worker process would do: settings read at import time apply.
        sys.modules.pop(self.app_module, None)
        try:
            self.index = load_app(self.app_dir, self.app_module)
            functions = [HttpFunction.from_function(f) for f in self.index.functions]
        except Exception as exc:
            raise AppLoadError(f"cannot load the app in {self.app_dir}: {exc}") from exc
        self.http_functions = sorted(
            (f for f in functions if f is not None), key=lambda f: f.route.precedence
        )
        self.webhooks = WebhookConfig(
            public_origin=self.base_url,
            rpc_base_url=self.base_url + RPC_PATH,
            task_hub=local_settings.task_hub_name(host_json),
            connection_name=local_settings.connection_name(host_json) or DEFAULT_CONNECTION_NAME,
        )
        threads = os.environ.get("PYTHON_THREADPOOL_THREAD_COUNT", "").strip()
        self._executor = ThreadPoolExecutor(
            max_workers=int(threads) if threads.isdigit() and int(threads) > 0 else None,
            thread_name_prefix="devhost-http",
        )
        for name in self.index.disabled:
            invocation_log.log.info("Function '%s' is disabled by app setting.", name)
        settings = dataclasses.replace(
            self.engine_settings,
            function_timeout_s=self.function_timeout_s,
            client_json=self._client_json,
        )
        self.engine = DurableEngine(self.index, settings, self.store)
        self._api = DurableHttpApi(self.engine, self.webhooks)

    async def shutdown(self, grace_s: float) -> bool:
        """Refuse new requests, start no new work, let running work finish for `grace_s`.

        New requests get 503 while running work finishes: requests already being served go on,
        and so do an orchestrator's own calls to this host (the stand-in billing API), which
        then see the 503 as a status value instead of a refused connection. Then the port
        closes. True if everything that was running finished in time. Call close() afterwards.
        """
        self._stopping = True
        finished = True if self.engine is None else await self.engine.drain(grace_s)
        if self._site is not None:
            await self._site.stop()
            self._site = None
        return finished

    async def close(self) -> None:
        """Stop the engine, the server and the worker pool; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self.engine is not None:
            await self.engine.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._env.close()
        if self._added_path in sys.path:
            sys.path.remove(self._added_path)
        if self._started:
            EmbeddedHost._live -= 1
            if EmbeddedHost._live == 0:
                await _reset_sdk_http_session()

    def _client_json(self, client: ClientBinding) -> str:
        """The `durableClient` value for a client binding, in any kind of function."""
        assert self.webhooks is not None
        return client_binding_json(
            self.webhooks, task_hub=client.task_hub, connection_name=client.connection_name
        )

    def function_urls(self) -> list[tuple[str, str, str]]:
        """(function name, methods label, URL) for each HTTP trigger, as `func start` lists them."""
        rows = []
        for fn in sorted(self.http_functions, key=lambda f: f.name.lower()):
            methods = ",".join(sorted(fn.methods))
            prefix = f"/{self.route_prefix}" if self.route_prefix else ""
            rows.append((fn.name, methods, f"{self.base_url}{prefix}/{fn.route.template}"))
        return rows

    def other_functions(self) -> list[tuple[str, str]]:
        """(function name, trigger type) for the non-HTTP functions."""
        assert self.index is not None
        return sorted(
            (f.name, f.trigger_type)
            for f in self.index.functions
            if f.trigger_type.lower() != "httptrigger"
        )

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        if self._api is None or self._stopping:
            return web.Response(status=503, text="The host is stopping.", headers=_RETRY_LATER)
        path = request.rel_url.raw_path
        for base in (RPC_PATH, WEBHOOK_PATH + "/"):
            if path.startswith(base) or path == base.rstrip("/"):
                return await self._api.handle(request, path[len(base) :])
        prefix = f"/{self.route_prefix}/" if self.route_prefix else "/"
        if not (path.startswith(prefix) or path == prefix.rstrip("/")):
            return web.Response(status=404)
        rest = path[len(prefix) :]
        for fn in self.http_functions:
            values = fn.route.match(rest)
            if values is not None and fn.allows(request.method):
                return await self._invoke(fn, request, values)
        return web.Response(status=404)

    async def _invoke(
        self, fn: HttpFunction, request: web.Request, values: dict[str, str]
    ) -> web.StreamResponse:
        assert self._executor is not None
        started = time.perf_counter()
        req = await build_request(request, values)
        called = invoke(fn, req, client_json=self._client_json, executor=self._executor)
        try:
            result = await asyncio.wait_for(called, self.function_timeout_s)
            response = to_aiohttp(result)
        except TimeoutError:  # the host fails the invocation: FunctionTimeoutException, a 500
            timeout = timespan(self.function_timeout_s or 0)
            invocation_log.function_failed(
                fn.name,
                time.perf_counter() - started,
                f"Timeout value of {timeout} was exceeded by function: Functions.{fn.name}",
                "",
            )
            return web.Response(status=500)
        except Exception as exc:
            invocation_log.function_failed(
                fn.name, time.perf_counter() - started, *invocation_log.raised(exc)
            )
            return web.Response(status=500)
        invocation_log.executed(fn.name, time.perf_counter() - started)
        return response


async def _reset_sdk_http_session() -> None:
    """Close the SDK client's process-wide aiohttp session and lock.

    The worker has one event loop for its whole life; the embedded host may be started on
    several loops in one process (tests), and that session and lock belong to the loop that
    first used them.
    """
    from azure.durable_functions.models.utils import http_utils

    session: Any = getattr(http_utils, "_client_session", None)
    if session is not None and not session.closed:
        with contextlib.suppress(RuntimeError):  # created on a loop that is gone
            await session.close()
    http_utils._client_session = None
    http_utils._session_lock = asyncio.Lock()
