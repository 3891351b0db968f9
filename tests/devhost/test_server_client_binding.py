"""The durableClient binding JSON has the extension's shape, and the SDK's client accepts it."""

import json

import azure.durable_functions as df
import azure.functions as func

from devhost.http.client_binding import WebhookConfig, client_binding_json

CFG = WebhookConfig(
    public_origin="http://127.0.0.1:7071",
    rpc_base_url="http://127.0.0.1:7071/durabletask/",
    task_hub="DurableInvoicesLocal",
    system_key="k",
)
QUERY = "taskHub=DurableInvoicesLocal&connection=Storage&code=k"
HOOKS = "http://127.0.0.1:7071/runtime/webhooks/durabletask"


def test_binding_json_matches_the_extension_shape():
    binding = json.loads(client_binding_json(CFG))
    assert binding == {
        "taskHubName": "DurableInvoicesLocal",
        "connectionName": None,
        "creationUrls": {
            "createNewInstancePostUri": f"{HOOKS}/orchestrators/{{functionName}}[/{{instanceId}}]"
            "?code=k",
            "createAndWaitOnNewInstancePostUri": f"{HOOKS}/orchestrators/{{functionName}}"
            "[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=k",
        },
        "managementUrls": {
            "id": "INSTANCEID",
            "statusQueryGetUri": f"{HOOKS}/instances/INSTANCEID?{QUERY}",
            "sendEventPostUri": f"{HOOKS}/instances/INSTANCEID/raiseEvent/{{eventName}}?{QUERY}",
            "terminatePostUri": f"{HOOKS}/instances/INSTANCEID/terminate?reason={{text}}&{QUERY}",
            "rewindPostUri": f"{HOOKS}/instances/INSTANCEID/rewind?reason={{text}}&{QUERY}",
            "purgeHistoryDeleteUri": f"{HOOKS}/instances/INSTANCEID?{QUERY}",
            "restartPostUri": f"{HOOKS}/instances/INSTANCEID/restart?{QUERY}",
            "suspendPostUri": f"{HOOKS}/instances/INSTANCEID/suspend?reason={{text}}&{QUERY}",
            "resumePostUri": f"{HOOKS}/instances/INSTANCEID/resume?reason={{text}}&{QUERY}",
        },
        "baseUrl": HOOKS,
        "requiredQueryStringParameters": "code=k",
        "rpcBaseUrl": "http://127.0.0.1:7071/durabletask/",
    }


def test_a_client_attribute_task_hub_shows_in_the_links():
    binding = json.loads(client_binding_json(CFG, task_hub="Other", connection_name="Conn"))
    assert binding["taskHubName"] == "Other"
    assert "taskHub=Other&connection=Conn&code=k" in binding["managementUrls"]["statusQueryGetUri"]


def test_the_sdk_client_builds_check_status_links_on_the_callers_origin():
    client = df.DurableOrchestrationClient(client_binding_json(CFG))
    request = func.HttpRequest("POST", "http://localhost:9999/api/x", body=b"")
    response = client.create_check_status_response(request, "abc 1")
    payload = json.loads(response.get_body())
    assert response.status_code == 202
    assert payload["id"] == "abc 1"
    # The SDK replaces the placeholder with the raw id; the origin becomes the caller's.
    assert payload["statusQueryGetUri"] == (
        "http://localhost:9999/runtime/webhooks/durabletask/instances/abc 1?"
        "taskHub=DurableInvoicesLocal&connection=Storage&code=k"
    )
    assert response.headers["Location"] == payload["statusQueryGetUri"]
