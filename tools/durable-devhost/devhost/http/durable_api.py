"""The Durable HTTP API: the RPC endpoint the SDK client calls and the public webhooks.

One handler serves both bases, `/durabletask/` (the extension's local RPC listener, the client
binding's `rpcBaseUrl`) and `/runtime/webhooks/durabletask/` (the links in
`create_check_status_response`). Routes, status codes and bodies follow the extension's
`HttpApiHandler.HandleRequestAsync`: a route that matches with the wrong method is a bare 404,
argument errors are 400 with the Web API `HttpError` shape (`Message`, `ExceptionMessage`, ...),
status is 202 while running and 200 once finished, and so on.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from aiohttp import web

from devhost.http.client_binding import WebhookConfig, management_urls
from devhost.http.durable_query import (
    CONTINUATION_HEADER,
    RUNNING,
    TERMINAL,
    matching,
    page,
    parse_bool,
    parse_float,
    parse_page_size,
    parse_time,
    purge_matching,
)
from devhost.http.routing import RouteTemplate
from devhost.runtime.engine import (
    InstanceExistsError,
    InstanceGoneError,
    InstanceNotFoundError,
    UnknownOrchestratorError,
)

_START = RouteTemplate.parse("orchestrators/{functionName}/{instanceId?}")
_ENTITIES = RouteTemplate.parse("entities/{entityName?}/{entityKey?}")
_INSTANCES = RouteTemplate.parse("instances/{instanceId?}/{operation?}")
_RAISE = RouteTemplate.parse("instances/{instanceId}/raiseEvent/{eventName}")
_UNSUPPORTED_OPS = {"rewind", "restart", "suspend", "resume"}
_JSON = "application/json; charset=utf-8"


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    response = web.Response(status=status, text=json.dumps(body), headers=headers)
    response.headers["Content-Type"] = _JSON
    return response


def http_error(
    status: int,
    message: str,
    exc: BaseException | None = None,
    exc_type: str = "System.ArgumentException",
) -> web.Response:
    """`request.CreateErrorResponse(status, message[, exception])` as Web API serialises it."""
    body: dict[str, Any] = {"Message": message}
    if exc is not None:
        body |= {"ExceptionMessage": str(exc), "ExceptionType": exc_type, "StackTrace": None}
    return _json(status, body)


def _invalid_json(body: str) -> web.Response | None:
    """The 400 for a body Newtonsoft's reader refuses; None when `body` is JSON."""
    try:
        json.loads(body)
    except (ValueError, RecursionError) as exc:  # Newtonsoft stops at MaxDepth; Python recurses
        return http_error(
            400, "Invalid JSON content", exc, exc_type="Newtonsoft.Json.JsonReaderException"
        )
    return None


async def _read_text(request: web.Request) -> str:
    """`HttpContent.ReadAsStringAsync`: undecodable bytes become U+FFFD, never an exception."""
    body = await request.read()
    try:
        return body.decode(request.charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know: read it as UTF-8
        return body.decode("utf-8", errors="replace")


class DurableHttpApi:
    """Serves the extension's HTTP API on top of a `DurableEngine`."""

    def __init__(self, engine: Any, webhooks: WebhookConfig) -> None:
        self.engine = engine
        self.webhooks = webhooks

    async def handle(self, request: web.Request, path: str) -> web.StreamResponse:
        """Dispatch `path` (relative to the API base) like `HandleRequestAsync`."""
        try:
            return await self._dispatch(request, path)
        except web.HTTPException:  # 413/408 from reading the body: the server's own answers
            raise
        except InstanceNotFoundError:
            return web.Response(status=404)
        except InstanceGoneError:
            return web.Response(status=410)
        except InstanceExistsError as exc:
            return http_error(409, str(exc))
        except (ValueError, UnknownOrchestratorError) as exc:
            return http_error(400, "One or more of the arguments submitted is incorrect", exc)
        except Exception as exc:  # the extension answers 500 for anything else
            return http_error(
                500,
                "Something went wrong while processing your request",
                exc,
                exc_type=type(exc).__name__,
            )

    async def _dispatch(self, request: web.Request, path: str) -> web.StreamResponse:
        method = request.method
        if (values := _START.match(path)) is not None:
            if method != "POST":
                return web.Response(status=404)
            return await self.start(request, values["functionName"], values.get("instanceId"))
        if _ENTITIES.match(path) is not None:
            return http_error(501, "Durable entities are not supported by the embedded host.")
        if (values := _INSTANCES.match(path)) is not None:
            instance_id, operation = values.get("instanceId"), values.get("operation")
            if instance_id is None:
                if method == "GET":
                    return self.list_instances(request)
                if method == "DELETE":
                    return self.purge_by_filter(request)
                return web.Response(status=404)
            if operation is None:
                if method == "GET":
                    return self.get_status(request, instance_id)
                if method == "DELETE":
                    return self.purge(instance_id)
                return web.Response(status=404)
            if method != "POST":
                return web.Response(status=404)
            if operation.lower() == "terminate":
                return await self.terminate(request, instance_id)
            if operation.lower() in _UNSUPPORTED_OPS:
                if self.engine.status(instance_id, show_input=False) is None:
                    return web.Response(status=404)
                return http_error(501, f"'{operation}' is not supported by the embedded host.")
        if (values := _RAISE.match(path)) is not None:
            if method != "POST":
                return web.Response(status=404)
            return await self.raise_event(request, values["instanceId"], values["eventName"])
        return web.Response(status=404)

    def _check_status(self, request: web.Request, instance_id: str) -> web.Response:
        """`CreateCheckStatusResponse`: 202, the management links, Location, Retry-After 10."""
        origin = f"{request.url.scheme}://{request.url.raw_authority}"
        links = management_urls(
            self.webhooks,
            instance_id,
            origin=origin,
            task_hub=request.query.get("taskHub") or None,
            connection_name=request.query.get("connection") or None,
        )
        links.pop("rewindPostUri")
        headers = {"Location": links["statusQueryGetUri"], "Retry-After": "10"}
        return _json(202, links, headers)

    async def start(
        self, request: web.Request, name: str, instance_id: str | None
    ) -> web.StreamResponse:
        body = await _read_text(request) if request.body_exists else ""
        if body and (error := _invalid_json(body)) is not None:
            return error
        # An unknown name raises UnknownOrchestratorError: 400 with the extension's message.
        new_id = await self.engine.start_new(name, instance_id or None, body or None)
        timeout = parse_float(request.query.get("timeout"))
        interval = parse_float(request.query.get("pollingInterval"))
        if timeout is not None and interval is not None:
            return await self._wait_or_check_status(request, new_id, timeout)
        return self._check_status(request, new_id)

    async def _wait_or_check_status(
        self, request: web.Request, instance_id: str, timeout: float
    ) -> web.StreamResponse:
        """`WaitForCompletionOrCreateCheckStatusResponseAsync`."""
        with contextlib.suppress(TimeoutError):
            await self.engine.wait(instance_id, timeout)
        status = self.engine.status(instance_id)
        runtime = status["runtimeStatus"] if status else None
        if runtime == "Completed":
            return _json(200, status.get("output"))
        if runtime in TERMINAL:
            return self.get_status(request, instance_id)
        return self._check_status(request, instance_id)

    def get_status(self, request: web.Request, instance_id: str) -> web.Response:
        query = request.query
        status = self.engine.status(
            instance_id,
            show_history=parse_bool(query, "showHistory") or False,
            show_history_output=parse_bool(query, "showHistoryOutput") or False,
            show_input=parse_bool(query, "showInput") is not False,
        )
        if status is None:
            return web.Response(status=404)
        runtime = status.get("runtimeStatus")
        headers: dict[str, str] = {}
        if runtime in RUNNING:
            code = 202
            headers = {"Location": str(request.url), "Retry-After": "5"}
        elif runtime == "Failed":
            code = 500 if parse_bool(query, "returnInternalServerErrorOnFailure") else 200
        elif runtime in TERMINAL:
            code = 200
        else:
            code = 500
        return _json(code, status, headers)

    def list_instances(self, request: web.Request) -> web.Response:
        """GET instances/: filters, `top` paging (100 by default), `x-ms-continuation-token`."""
        show_input = parse_bool(request.query, "showInput") is not False
        top = parse_page_size(request.query.get("top"))
        rows = matching(self.engine.list_statuses(show_input=show_input), request.query)
        token = request.headers.get(CONTINUATION_HEADER)
        rows, next_token = page(rows, top, token)
        return _json(200, rows, {CONTINUATION_HEADER: next_token})

    def purge(self, instance_id: str) -> web.Response:
        """DELETE instances/{id}: any status, running ones too (DurableTask.AzureStorage 1.17.5
        `PurgeInstanceHistoryAsync(instanceId)` deletes whatever row it finds)."""
        deleted = self.engine.purge(instance_id)
        if deleted == 0:  # neither running nor stored
            return web.Response(status=404)
        return _json(200, {"instancesDeleted": deleted})

    def purge_by_filter(self, request: web.Request) -> web.Response:
        """DELETE instances/?createdTimeFrom=...: see `purge_matching` for what it deletes."""
        if parse_time(request.query.get("createdTimeFrom")) is None:
            return _json(400, "Please provide value for 'createdTimeFrom' parameter.")
        rows = purge_matching(self.engine.list_statuses(show_input=False), request.query)
        deleted = sum(self.engine.purge(r["instanceId"]) for r in rows)
        if deleted == 0:
            return web.Response(status=404)
        return _json(200, {"instancesDeleted": deleted})

    async def terminate(self, request: web.Request, instance_id: str) -> web.Response:
        """404 if unknown, 410 if finished: the engine raises, `handle` answers."""
        await self.engine.terminate(instance_id, request.query.get("reason"))
        return web.Response(status=202)

    async def raise_event(self, request: web.Request, instance_id: str, name: str) -> web.Response:
        status = self.engine.status(instance_id, show_input=False)
        if status is None:
            return web.Response(status=404)
        if status["runtimeStatus"] in TERMINAL:
            return web.Response(status=410)
        if request.content_type.lower() != "application/json":
            return http_error(400, "Only application/json request content is supported")
        body = await _read_text(request)
        if (error := _invalid_json(body)) is not None:
            return error
        await self.engine.raise_event(instance_id, name, body)
        return web.Response(status=202)
