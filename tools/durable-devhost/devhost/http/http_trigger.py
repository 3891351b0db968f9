"""HTTP triggers as the Python worker runs them: real `func.HttpRequest` in, `HttpResponse` out.

The host turns the ASP.NET request into an RPC message (method, URL, headers, query, route
values, body) and the worker decodes it into `func.HttpRequest`; repeated headers and query keys
arrive joined with ",", as ASP.NET's `StringValues.ToString()` joins them. `async def` functions
run on the worker's event loop and plain ones in its thread pool; `durableClient` parameters get
the binding JSON string, which the SDK's middleware turns into a `DurableOrchestrationClient`.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import azure.functions as func
from aiohttp import web
from multidict import CIMultiDict, MultiMapping

from devhost.http.routing import RouteTemplate
from devhost.work.function_index import (
    CLIENT_TYPES,
    ClientBinding,
    FunctionDef,
    binding_type,
    client_bindings,
)
from devhost.work.invocation_context import InvocationContext

log = logging.getLogger("devhost.http")

# Binding types (lower-cased) whose value the embedded host can provide.
_SUPPORTED_INPUTS = {"httptrigger", *CLIENT_TYPES}
# Framing headers the server computes itself.
_HOP_HEADERS = {"content-length", "transfer-encoding", "connection"}


class UnsupportedBindingError(RuntimeError):
    """The function needs a binding (blob, queue, ...) the embedded host does not emulate."""


@dataclass(frozen=True)
class HttpFunction:
    """One HTTP-triggered function, as the host indexes it from the worker's metadata."""

    name: str
    route: RouteTemplate
    methods: frozenset[str]  # empty: every method, as when `methods` is not given
    auth_level: str
    func: Callable[..., Any]
    trigger_arg: str
    clients: tuple[ClientBinding, ...] = ()
    http_out: str = "$return"
    wants_context: bool = False
    unsupported: tuple[str, ...] = field(default=())
    directory: str = ""

    @classmethod
    def from_function(cls, function: FunctionDef) -> HttpFunction | None:
        """Build from an indexed function (v1 or v2); None if it is not HTTP-triggered."""
        bindings = function.bindings
        trigger = next((b for b in bindings if binding_type(b) == "httptrigger"), None)
        if trigger is None:
            return None
        http_out = next(
            (
                b["name"]
                for b in bindings
                if binding_type(b) == "http" and str(b.get("direction", "")).lower() == "out"
            ),
            "$return",
        )
        clients = client_bindings(bindings)
        unsupported = tuple(
            f"{b['name']} ({b['type']})"
            for b in bindings
            if binding_type(b) not in _SUPPORTED_INPUTS and binding_type(b) != "http"
        )
        return cls(
            name=function.name,
            route=RouteTemplate.parse(trigger.get("route") or function.name),
            methods=frozenset(m.upper() for m in trigger.get("methods") or ()),
            auth_level=str(trigger.get("authLevel", "FUNCTION")),
            func=function.func,
            trigger_arg=trigger["name"],
            clients=clients,
            http_out=http_out,
            wants_context=function.wants_context,
            unsupported=unsupported,
            directory=function.directory,
        )

    @property
    def is_async(self) -> bool:
        """The worker's test: coroutine functions run on the loop, others in the pool."""
        return inspect.iscoroutinefunction(self.func)

    def allows(self, method: str) -> bool:
        return not self.methods or method.upper() in self.methods


class _Out(func.Out):
    """An output parameter (`func.Out[...]`), for an http output not bound to `$return`."""

    def __init__(self) -> None:
        self._value: Any = None

    def set(self, val: Any) -> None:
        self._value = val

    def get(self) -> Any:
        return self._value


def _joined(values: MultiMapping[str]) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for key, value in values.items():
        out.setdefault(key, []).append(value)
    return {key: ",".join(vals) for key, vals in out.items()}


async def build_request(request: web.Request, route_params: Mapping[str, str]) -> func.HttpRequest:
    """What the worker's `HttpRequestConverter.decode` produces for this request."""
    return func.HttpRequest(
        method=request.method,
        url=str(request.url),
        headers=_joined(request.headers),
        params=_joined(request.query),
        route_params=dict(route_params),
        body=await request.read(),
    )


async def invoke(
    fn: HttpFunction,
    req: func.HttpRequest,
    *,
    client_json: Callable[[ClientBinding], str],
    executor: Executor,
) -> Any:
    """Call the user function as the worker would and return what its http output holds."""
    if fn.unsupported:
        raise UnsupportedBindingError(
            f"Function '{fn.name}' uses bindings the embedded host does not provide: "
            + ", ".join(fn.unsupported)
        )
    kwargs: dict[str, Any] = {fn.trigger_arg: req}
    for client in fn.clients:
        kwargs[client.name] = client_json(client)
    if fn.wants_context:
        kwargs["context"] = InvocationContext(fn.name, fn.directory)
    out = None
    if fn.http_out != "$return":
        out = kwargs[fn.http_out] = _Out()
    if fn.is_async:
        result = await fn.func(**kwargs)
    else:
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(executor, functools.partial(fn.func, **kwargs))
    return out.get() if out is not None else result


def to_aiohttp(result: Any) -> web.Response:
    """Turn the http output value into the response the host writes (HttpResponseConverter)."""
    if result is None:
        return web.Response(status=204)
    if isinstance(result, str):
        headers = CIMultiDict({"Content-Type": "text/plain; charset=utf-8"})
        return web.Response(status=200, body=result.encode(), headers=headers)
    if not isinstance(result, func.HttpResponse):
        raise TypeError(f"unsupported http output type {type(result).__name__}")
    headers: CIMultiDict[str] = CIMultiDict()
    for key, value in result.headers.items():
        if key.lower() not in _HOP_HEADERS:
            headers.add(key, value)
    if "Content-Type" not in headers:
        mimetype = result.mimetype
        ct = f"{mimetype}; charset={result.charset}" if mimetype.startswith("text/") else mimetype
        headers["Content-Type"] = ct
    return web.Response(status=result.status_code, body=result.get_body(), headers=headers)
