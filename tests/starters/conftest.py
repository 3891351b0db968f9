"""Call the starters' user functions directly, with a mocked durable client (no host needed)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from unittest.mock import AsyncMock, MagicMock

import azure.functions as func
import pytest

from app_settings import INVOICE_API_URL
from starters import http_api

RPC_BASE_URL = "http://127.0.0.1:7071/durabletask/"


def make_request(
    method: str = "POST",
    route: str = "orchestrators/raw_http_loop",
    *,
    body: bytes | str | dict | list | None = None,
    params: dict[str, str] | None = None,
    route_params: dict[str, str] | None = None,
    content_type: str | None = "application/json",
    headers: dict[str, str] | None = None,
) -> func.HttpRequest:
    if isinstance(body, dict | list):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    headers = {**({"content-type": content_type} if content_type else {}), **(headers or {})}
    return func.HttpRequest(
        method=method,
        url=f"http://localhost:7071/api/{route}",
        headers=headers,
        params=params or {},
        route_params=route_params or {},
        body=body or b"",
    )


class FakeClient:
    """Stands in for DurableOrchestrationClient; records every start."""

    def __init__(self) -> None:
        self.start_new = AsyncMock(side_effect=lambda name, _id, payload: f"id-{name}")
        self.create_check_status_response = MagicMock(
            side_effect=lambda req, iid: func.HttpResponse(
                json.dumps({"id": iid}), status_code=202, mimetype="application/json"
            )
        )
        self.get_status = AsyncMock()
        # What the starters read besides the SDK's public API: the embedded host's counters.
        self._orchestration_bindings = SimpleNamespace(rpc_base_url=RPC_BASE_URL)
        self._get_async_request = AsyncMock(return_value=[404, None])


@pytest.fixture(autouse=True)
def _billing_target(monkeypatch):
    """A deployment with a billing target, whatever the shell says (the starters need one)."""
    monkeypatch.setenv(INVOICE_API_URL, "http://127.0.0.1:9/api/billing/invoices")


@pytest.fixture
def client() -> FakeClient:
    return FakeClient()


@pytest.fixture
def call():
    """Run a starter's user function: ``await call("start_orchestrator", req, client)``."""

    async def run(
        function_name: str, req: func.HttpRequest, client: FakeClient
    ) -> func.HttpResponse:
        user_function = getattr(http_api, function_name).build().get_user_function()
        return await user_function.client_function(req, client)

    return run


@pytest.fixture
def request_factory():
    return make_request
