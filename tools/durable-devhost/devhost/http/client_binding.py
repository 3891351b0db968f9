"""The `durableClient` binding value, shaped exactly as the extension's BindingHelper sends it.

The Python worker hands this JSON string to the starter; the SDK's `durable_client_input`
middleware turns it into a real `DurableOrchestrationClient`. Everything the client does goes to
`rpcBaseUrl` (the extension's local RPC listener, here this host's own `/durabletask/`), and
`create_check_status_response` copies `managementUrls` with the `INSTANCEID` placeholder replaced.
Shapes follow azure-functions-durable-extension `Bindings/BindingHelper.cs`
(`DurableOrchestrationClientToString`) and `HttpApiHandler.cs` (`GetBaseUrl`,
`GetUniversalQueryStrings`, `GetInstanceCreationLinks`, `GetClientResponseLinks`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote_plus

INSTANCE_ID_PLACEHOLDER = "INSTANCEID"
WEBHOOK_PATH = "/runtime/webhooks/durabletask"
RPC_PATH = "/durabletask/"
# Azure Storage's default connection name, which the host puts in `connection=`.
DEFAULT_CONNECTION_NAME = "Storage"
# `func start` signs webhook links with a local system key; nothing checks it here.
DEFAULT_SYSTEM_KEY = "devhost-local-key-not-checked"


@dataclass(frozen=True)
class WebhookConfig:
    """What the extension knows about its own URLs: the public origin and the RPC base."""

    public_origin: str  # e.g. "http://localhost:7071" (what WEBSITE_HOSTNAME gives func start)
    rpc_base_url: str  # e.g. "http://127.0.0.1:7071/durabletask/"
    task_hub: str = "TestHubName"
    connection_name: str = DEFAULT_CONNECTION_NAME
    system_key: str = DEFAULT_SYSTEM_KEY

    @property
    def base_url(self) -> str:
        """`GetBaseUrl()`: origin + webhook path, no trailing slash, no query."""
        return self.public_origin.rstrip("/") + WEBHOOK_PATH

    @property
    def required_query(self) -> str:
        """`GetUniversalQueryStrings()`: the webhook URI's query (the system key)."""
        return f"code={self.system_key}"


def creation_urls(cfg: WebhookConfig) -> dict[str, str]:
    """`GetInstanceCreationLinks()`."""
    prefix = f"{cfg.base_url}/orchestrators/{{functionName}}[/{{instanceId}}]"
    query = cfg.required_query
    return {
        "createNewInstancePostUri": f"{prefix}?{query}",
        "createAndWaitOnNewInstancePostUri": (
            f"{prefix}?timeout={{timeoutInSeconds}}&pollingInterval={{intervalInSeconds}}&{query}"
        ),
    }


def management_urls(
    cfg: WebhookConfig,
    instance_id: str,
    *,
    origin: str | None = None,
    task_hub: str | None = None,
    connection_name: str | None = None,
) -> dict[str, str]:
    """`GetClientResponseLinks()`: the check-status payload for one instance id."""
    base = (origin or cfg.public_origin).rstrip("/") + WEBHOOK_PATH
    prefix = f"{base}/instances/{quote_plus(instance_id)}"
    hub = quote_plus(task_hub or cfg.task_hub)
    conn = quote_plus(connection_name or cfg.connection_name)
    query = f"taskHub={hub}&connection={conn}&{cfg.required_query}"
    return {
        "id": instance_id,
        "statusQueryGetUri": f"{prefix}?{query}",
        "sendEventPostUri": f"{prefix}/raiseEvent/{{eventName}}?{query}",
        "terminatePostUri": f"{prefix}/terminate?reason={{text}}&{query}",
        "rewindPostUri": f"{prefix}/rewind?reason={{text}}&{query}",
        "purgeHistoryDeleteUri": f"{prefix}?{query}",
        "restartPostUri": f"{prefix}/restart?{query}",
        "suspendPostUri": f"{prefix}/suspend?reason={{text}}&{query}",
        "resumePostUri": f"{prefix}/resume?reason={{text}}&{query}",
    }


def client_binding_json(
    cfg: WebhookConfig, *, task_hub: str | None = None, connection_name: str | None = None
) -> str:
    """The string the worker passes as the `durableClient` argument (Newtonsoft keeps nulls)."""
    payload = {
        "taskHubName": task_hub or cfg.task_hub,
        "connectionName": None,
        "creationUrls": creation_urls(cfg),
        "managementUrls": management_urls(
            cfg, INSTANCE_ID_PLACEHOLDER, task_hub=task_hub, connection_name=connection_name
        ),
        "baseUrl": cfg.base_url,
        "requiredQueryStringParameters": cfg.required_query,
        "rpcBaseUrl": cfg.rpc_base_url,
    }
    return json.dumps(payload, separators=(",", ":"))
