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
import logging
from typing import Any

from aiohttp import web

from devhost.http.client_binding import WebhookConfig, management_urls
from devhost.http.durable_query import (
    CONNECTION_PARAMETER,
    CONTINUATION_HEADER,
    RUNNING,
    TASK_HUB_PARAMETER,
    TERMINAL,
    client_query,
    matching,
    page,
    parse_bool,
    parse_float,
    parse_page_size,
    parse_time,
    purge_matching,
    token_key,
)
from devhost.http.newtonsoft_json import JsonReaderError, deserialize_object, load_token
from devhost.http.routing import RouteTemplate
from devhost.http.webapi import (
    ArgumentError,
    dotnet_double,
    http_error,
    invalid_json,
    json_response,
    read_text,
)
from devhost.runtime.engine import (
    InstanceExistsError,
    InstanceGoneError,
    InstanceNotFoundError,
    UnknownOrchestratorError,
)
from devhost.runtime.store import StoreError, StoreWriteError

_START = RouteTemplate.parse("orchestrators/{functionName}/{instanceId?}")
_ENTITIES = RouteTemplate.parse("entities/{entityName?}/{entityKey?}")
_INSTANCES = RouteTemplate.parse("instances/{instanceId?}/{operation?}")
_RAISE = RouteTemplate.parse("instances/{instanceId}/raiseEvent/{eventName}")
# devhost's own route, never the extension's: an instance's counters (docs/devhost.md).
COUNTERS = RouteTemplate.parse("devhost/instances/{instanceId}/counters")
_UNSUPPORTED_OPS = {"rewind", "restart", "suspend", "resume"}
# HandleRestartInstanceRequestAsync's answer to the ArgumentException of DurableClient.RestartAsync.
_RESTART_MISSING = "InstanceId does not match a valid orchestration instance."
log = logging.getLogger("devhost")


def _restart_missing(instance_id: str) -> web.Response:
    """`HandleRestartInstanceRequestAsync`'s 400 for the ArgumentException of
    `DurableClient.RestartAsync` (its message's typo included)."""
    missing = ArgumentError(f"An orchestrastion with the instanceId {instance_id} was not found.")
    return http_error(400, _RESTART_MISSING, missing)


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
        except StoreWriteError as exc:  # logged by the store; free space or fix permissions
            return http_error(503, "The state cannot be written", exc, exc_type="StoreWriteError")
        except StoreError as exc:  # damaged state: said once here, in the host's log
            log.error("devhost: %s", exc)
            return http_error(500, "The state cannot be read", exc, exc_type=type(exc).__name__)
        except Exception as exc:  # the extension answers 500 for anything else
            return http_error(
                500,
                "Something went wrong while processing your request",
                exc,
                exc_type=type(exc).__name__,
            )

    async def _dispatch(self, request: web.Request, path: str) -> web.StreamResponse:
        method = request.method
        if (values := COUNTERS.match(path)) is not None:
            if method != "GET":
                return web.Response(status=404)
            return self.counters(values["instanceId"])
        if (hub := self._other_task_hub(request)) is not None:
            return self._in_other_task_hub(request, path, hub)
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
                    if operation.lower() == "restart":
                        return _restart_missing(instance_id)
                    return web.Response(status=404)
                return http_error(501, f"'{operation}' is not supported by the embedded host.")
        if (values := _RAISE.match(path)) is not None:
            if method != "POST":
                return web.Response(status=404)
            return await self.raise_event(request, values["instanceId"], values["eventName"])
        return web.Response(status=404)

    def _other_task_hub(self, request: web.Request) -> str | None:
        """The `taskHub` a call names when it is not this host's hub (Azure Storage names are
        case-insensitive), else None."""
        hub = client_query(request.query, TASK_HUB_PARAMETER)
        if hub is None or hub.lower() == self.webhooks.task_hub.lower():
            return None
        return hub

    def _in_other_task_hub(self, request: web.Request, path: str, hub: str) -> web.Response:
        """A call for another task hub. On Azure `HttpApiHandler.GetClient` builds a client for
        that hub, where no instance of this one exists: status, events, terminate, purge and
        the other instance operations are 404, the list is empty. devhost serves one hub, so
        it refuses to start an instance in another (README "Differences")."""
        if _START.match(path) is not None and request.method == "POST":
            message = f"devhost serves one task hub, '{self.webhooks.task_hub}', not '{hub}'."
            log.warning("devhost: refused a start for task hub %r: %s", hub, message)
            return http_error(
                400, "One or more of the arguments submitted is incorrect", ArgumentError(message)
            )
        values = _INSTANCES.match(path)
        if values is None:
            return web.Response(status=404)
        instance_id, operation = values.get("instanceId"), values.get("operation") or ""
        if instance_id is None and request.method == "GET":
            return json_response(200, [], {CONTINUATION_HEADER: ""})
        if instance_id and operation.lower() == "restart" and request.method == "POST":
            return _restart_missing(instance_id)
        return web.Response(status=404)

    def _check_status(self, request: web.Request, instance_id: str) -> web.Response:
        """`CreateCheckStatusResponse`: 202, the management links, Location, Retry-After 10."""
        origin = f"{request.url.scheme}://{request.url.raw_authority}"
        links = management_urls(
            self.webhooks,
            instance_id,
            origin=origin,
            task_hub=client_query(request.query, TASK_HUB_PARAMETER),
            connection_name=client_query(request.query, CONNECTION_PARAMETER),
        )
        links.pop("rewindPostUri")
        headers = {"Location": links["statusQueryGetUri"], "Retry-After": "10"}
        return json_response(202, links, headers)

    async def start(
        self, request: web.Request, name: str, instance_id: str | None
    ) -> web.StreamResponse:
        # `Content.Headers.ContentLength != 0`, then JsonConvert.DeserializeObject: a body of
        # whitespace is a null input, trailing text a 400.
        body = await read_text(request) if request.body_exists else ""
        try:
            input_json = deserialize_object(body) if body else None
        except JsonReaderError as exc:
            return invalid_json(exc)
        # An unknown name raises UnknownOrchestratorError: 400 with the extension's message.
        new_id = await self.engine.start_new(name, instance_id or None, input_json)
        timeout = parse_float(request.query.get("timeout"))
        interval = parse_float(request.query.get("pollingInterval"))
        if timeout is not None and interval is not None:
            if interval > timeout:  # WaitForCompletionOrCreateCheckStatusResponseAsync
                log.warning(
                    "devhost: started %s, then answered 400 as the extension does: the "
                    "timeout (%ss) is below the pollingInterval (%ss)",
                    new_id,
                    timeout,
                    interval,
                )
                raise ArgumentError(
                    f"Total timeout {dotnet_double(timeout)} should be bigger than retry "
                    f"timeout {dotnet_double(interval)}"
                )
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
            return json_response(200, status.get("output"))
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
        return json_response(code, status, headers)

    def counters(self, instance_id: str) -> web.Response:
        """devhost's counters of one instance: only on this route, never in a status body."""
        try:
            counters = self.engine.counters(instance_id)
        except InstanceNotFoundError:
            return web.Response(status=404)
        return json_response(200, counters.as_dict())

    def list_instances(self, request: web.Request) -> web.Response:
        """GET instances/: filters, `top` paging (100 by default), `x-ms-continuation-token`."""
        show_input = parse_bool(request.query, "showInput") is not False
        top = parse_page_size(request.query.get("top"))
        start = token_key(request.headers.get(CONTINUATION_HEADER))
        rows = matching(
            self.engine.list_statuses(show_input=show_input, start=start), request.query
        )
        rows, next_token = page(rows, top)
        return json_response(200, rows, {CONTINUATION_HEADER: next_token})

    def purge(self, instance_id: str) -> web.Response:
        """DELETE instances/{id}: any status, running ones too (DurableTask.AzureStorage 1.17.5
        `PurgeInstanceHistoryAsync(instanceId)` deletes whatever row it finds)."""
        deleted = self.engine.purge(instance_id)
        if deleted == 0:  # neither running nor stored
            return web.Response(status=404)
        return json_response(200, {"instancesDeleted": deleted})

    def purge_by_filter(self, request: web.Request) -> web.Response:
        """DELETE instances/?createdTimeFrom=...: see `purge_matching` for what it deletes."""
        if parse_time(request.query.get("createdTimeFrom")) is None:
            return json_response(400, "Please provide value for 'createdTimeFrom' parameter.")
        rows = purge_matching(self.engine.list_statuses(show_input=False), request.query)
        deleted = sum(self.engine.purge(r["instanceId"]) for r in rows)
        if deleted == 0:
            return web.Response(status=404)
        return json_response(200, {"instancesDeleted": deleted})

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
        try:  # JToken.Load: the first value; what follows it is never read
            data_json = load_token(await read_text(request))
        except JsonReaderError as exc:
            return invalid_json(exc)
        await self.engine.raise_event(instance_id, name, data_json)
        return web.Response(status=202)
