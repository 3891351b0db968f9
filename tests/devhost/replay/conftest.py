"""Factories for devhost tests: engines over the fixture apps, and a loopback HTTP stub."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from devhost import DurableEngine, EngineSettings, FunctionIndex


@pytest.fixture
async def make_engine(apps_dir: Path) -> AsyncIterator[Callable[..., DurableEngine]]:
    """make_engine("sequence_app", batching="one") -> an engine; all are closed at teardown."""
    engines: list[DurableEngine] = []

    def make(app: str, **settings: Any) -> DurableEngine:
        index = FunctionIndex.from_module(apps_dir / f"{app}.py")
        engine = DurableEngine(index, EngineSettings(**settings))
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        await engine.close()


@pytest.fixture
def start() -> Callable[..., Awaitable[str]]:
    """Start an instance with the body the SDK client POSTs (json of df_dumps(input))."""

    async def start_(engine: DurableEngine, name: str, value: Any = None, **kw: Any) -> str:
        body = None if value is None else json.dumps(json.dumps(value))
        return await engine.start_new(name, kw.get("instance_id"), body)

    return start_


@pytest.fixture
async def stub_api() -> AsyncIterator[str]:
    """A loopback HTTP API on port 0: POST /ok -> 201, any /fail -> 500 with a body."""

    async def ok(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"received": True}, status=201, headers={"X-Echo": "1"})

    async def fail(request: web.Request) -> web.Response:
        return web.Response(status=500, text="boom", headers={"X-Reason": "test"})

    async def echo(request: web.Request) -> web.Response:
        body = await request.text()
        info = {"content_type": request.headers.get("Content-Type"), "body": body}
        return web.json_response(info)

    app = web.Application()
    app.router.add_post("/ok", ok)
    app.router.add_route("*", "/fail", fail)
    app.router.add_post("/echo", echo)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    yield f"http://127.0.0.1:{server.port}"
    await server.close()
