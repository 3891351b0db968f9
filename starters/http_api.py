"""The HTTP surface: start one orchestrator, start all three, and summarise a run.

Every route uses FUNCTION auth. Input is validated before anything starts; the billing URL
comes from app settings, never from the caller.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

import azure.durable_functions as df
import azure.functions as func

import app_settings
from contract import DEVHOST_COUNTERS_PATH, FAN_OUT_FAN_IN, ORCHESTRATORS
from starters.problems import Problem, json_response
from starters.run_request import RunRequest, parse_run_request
from starters.run_summary import history_too_large, run_summary

# The ids the starters create (GUIDs) and any id of letters, digits, "-" and "_": the SDK puts
# the id into its RPC URL unescaped, so ".", "%2e" or a "%" must never reach it.
_INSTANCE_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")

bp = df.Blueprint()


async def _start(client: df.DurableOrchestrationClient, name: str, run: RunRequest) -> str:
    payload = run.orchestration_input(with_max_parallel=name == FAN_OUT_FAN_IN)
    instance_id = await client.start_new(name, None, payload)
    logging.info("started %s as %s (count=%d seed=%d)", name, instance_id, run.count, run.seed)
    return instance_id


def _require_billing_target() -> None:
    """Start nothing without a billing target: every run would fail (503, not a slow failure)."""
    if app_settings.invoice_api_url() is None:
        raise Problem(503, app_settings.MISSING_BILLING_TARGET + " Nothing was started.")


def _runs_url(req: func.HttpRequest, instance_id: str) -> str:
    parts = urlsplit(req.url)
    return f"{parts.scheme}://{parts.netloc}/api/runs/{instance_id}"


@bp.route(route="orchestrators/{name}", methods=["POST"], auth_level=func.AuthLevel.FUNCTION)
@bp.durable_client_input(client_name="client")
async def start_orchestrator(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    """Start one orchestrator; answer 202 with the standard check-status payload."""
    name = req.route_params.get("name", "")
    try:
        if name not in ORCHESTRATORS:
            raise Problem(404, f"Unknown orchestrator; use one of: {', '.join(ORCHESTRATORS)}.")
        run = parse_run_request(
            req,
            max_count=app_settings.max_invoice_count(),
            allow_max_parallel=name == FAN_OUT_FAN_IN,
        )
        _require_billing_target()
    except Problem as problem:
        return problem.to_response()
    instance_id = await _start(client, name, run)
    return client.create_check_status_response(req, instance_id)


@bp.route(route="compare", methods=["POST"], auth_level=func.AuthLevel.FUNCTION)
@bp.durable_client_input(client_name="client")
async def start_comparison(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    """Start all three orchestrators with the same input; answer 202 with their ids."""
    try:
        run = parse_run_request(
            req, max_count=app_settings.max_invoice_count(), allow_max_parallel=True
        )
        _require_billing_target()
    except Problem as problem:
        return problem.to_response()
    instances = []
    for name in ORCHESTRATORS:
        instance_id = await _start(client, name, run)
        instances.append(
            {"name": name, "id": instance_id, "status_url": _runs_url(req, instance_id)}
        )
    body = {"count": run.count, "seed": run.seed, "instances": instances}
    if run.max_parallel is not None:
        body["max_parallel"] = run.max_parallel
    return json_response(body, status_code=202)


@bp.route(route="runs/{instance_id}", methods=["GET"], auth_level=func.AuthLevel.FUNCTION)
@bp.durable_client_input(client_name="client")
async def get_run(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    """Summarise a run: status, timing, progress, what history recorded as billed, failed and
    unknown, and replay figures; never inputs or keys.

    The status API returns a run's whole history in one answer (no paging), so it is asked for
    only when the run's ``count`` is within this deployment's MAX_INVOICE_COUNT: then the
    history holds at most a few events per invoice and attempt.
    """
    instance_id = req.route_params.get("instance_id", "")
    if not _INSTANCE_ID.fullmatch(instance_id):
        return Problem(400, "That is not a valid instance id.").to_response()
    status = await client.get_status(instance_id, show_input=True)
    if not status:
        return Problem(404, "No run with that instance id.").to_response()
    too_large = history_too_large(status.input_, _history_limit())
    if too_large is None:
        # Input shows each POST's request (the invoice); output shows each answer.
        status = await client.get_status(
            instance_id, show_history=True, show_history_output=True, show_input=True
        )
        if not status:
            return Problem(404, "No run with that instance id.").to_response()
    counters = await _host_counters(client, instance_id)
    return json_response(run_summary(status, counters, history_note=too_large))


def _history_limit() -> int:
    try:
        return app_settings.max_invoice_count()
    except ValueError:  # a broken setting must not hide what a run charged
        return app_settings.DEFAULT_MAX_INVOICE_COUNT


async def _host_counters(client: df.DurableOrchestrationClient, instance_id: str) -> Any:
    """The embedded host's counters of the run (its own route beside the RPC API, never part of
    the status); None on the real host, whose local RPC listener answers that route with 404,
    and whenever the route cannot be read (a non-JSON page, a dropped connection): the
    counters are an extra, never a reason to hide what a run charged."""
    base = getattr(getattr(client, "_orchestration_bindings", None), "rpc_base_url", None)
    if not base:
        return None
    url = f"{base}{DEVHOST_COUNTERS_PATH.format(instance_id=instance_id)}"
    try:
        status_code, body = await client._get_async_request(url)
    except Exception as exc:  # the SDK's aiohttp errors, ValueError from response.json, ...
        logging.warning("no host counters for %s: %s", instance_id, type(exc).__name__)
        return None
    return body if status_code == 200 and isinstance(body, dict) else None
