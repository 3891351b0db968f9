"""End to end over HTTP: a starter, the check-status payload, the webhooks, the SDK client."""

import json

from devhost.testing import poll_status

CHECK_STATUS_KEYS = {
    "id",
    "statusQueryGetUri",
    "sendEventPostUri",
    "terminatePostUri",
    "rewindPostUri",
    "purgeHistoryDeleteUri",
    "restartPostUri",
    "suspendPostUri",
    "resumePostUri",
}


async def start(http, host, name, body=None, instance_id=None):
    path = f"api/start/{name}" + (f"/{instance_id}" if instance_id else "")
    async with http.post(host.url(path), json=body) as response:
        assert response.status == 202, await response.text()
        return await response.json()


async def test_starter_then_status_url_then_output(host, http):
    links = await start(http, host, "greet", ["Tokyo", "Lima"])
    assert set(links) == CHECK_STATUS_KEYS
    assert links["statusQueryGetUri"].startswith(f"{host.base_url}/runtime/webhooks/durabletask/")
    status = await poll_status(http, links["statusQueryGetUri"])
    assert status["runtimeStatus"] == "Completed"
    assert status["name"] == "greet"
    assert status["instanceId"] == links["id"]
    assert status["output"] == ["Hello Tokyo", "Hello Lima"]


async def test_status_is_202_with_location_while_running_and_200_when_done(host, http):
    links = await start(http, host, "wait_for_approval", instance_id="run-202")
    async with http.get(links["statusQueryGetUri"]) as response:
        assert response.status == 202
        assert response.headers["Location"] == links["statusQueryGetUri"]
        assert response.headers["Retry-After"] == "5"
    event_url = links["sendEventPostUri"].replace("{eventName}", "Approval")
    async with http.post(event_url, json="yes") as response:
        assert response.status == 202
    status = await poll_status(http, links["statusQueryGetUri"])
    async with http.get(links["statusQueryGetUri"]) as response:
        assert response.status == 200
    assert status["output"] == {"approved": "yes"}


async def test_terminate_through_the_webhook(host, http):
    links = await start(http, host, "wait_for_approval")
    terminate_url = links["terminatePostUri"].replace("{text}", "enough")
    async with http.post(terminate_url) as response:
        assert response.status == 202
    status = await poll_status(http, links["statusQueryGetUri"])
    assert status["runtimeStatus"] == "Terminated"
    async with http.post(terminate_url) as response:
        assert response.status == 410  # already finished: Gone


async def test_purge_through_the_webhook(host, http):
    links = await start(http, host, "greet", ["a"])
    await poll_status(http, links["statusQueryGetUri"])
    async with http.delete(links["purgeHistoryDeleteUri"]) as response:
        assert response.status == 200
        assert await response.json() == {"instancesDeleted": 1}
    async with http.get(links["statusQueryGetUri"]) as response:
        assert response.status == 404
    async with http.delete(links["purgeHistoryDeleteUri"]) as response:
        assert response.status == 404


async def test_list_with_status_and_prefix_filters(host, http):
    done = await start(http, host, "greet", ["a"], instance_id="list-done")
    await poll_status(http, done["statusQueryGetUri"])
    await start(http, host, "wait_for_approval", instance_id="list-waiting")
    base = host.url("runtime/webhooks/durabletask/instances")
    async with http.get(base) as response:
        assert response.status == 200
        assert {s["instanceId"] for s in await response.json()} == {"list-done", "list-waiting"}
    async with http.get(base, params={"runtimeStatus": "Running,Pending"}) as response:
        assert [s["instanceId"] for s in await response.json()] == ["list-waiting"]
    async with http.get(base, params={"instanceIdPrefix": "list-d"}) as response:
        assert [s["instanceId"] for s in await response.json()] == ["list-done"]


async def test_the_sdk_client_status_list_raise_terminate_and_purge(host, http):
    await start(http, host, "wait_for_approval", instance_id="sdk-1")
    await start(http, host, "wait_for_approval", instance_id="sdk-2")
    async with http.get(host.url("api/client/status/sdk-1")) as response:
        status = await response.json()
    assert (status["runtimeStatus"], status["customStatus"]) == ("Running", {"phase": "waiting"})
    async with http.post(host.url("api/client/raise/sdk-1"), json={"ok": True}) as response:
        assert response.status == 200
    done = await poll_status(http, host.url("runtime/webhooks/durabletask/instances/sdk-1"))
    # The Python client double-encodes event data (azure-functions-durable-python#295), and the
    # real extension passes that through: the orchestrator receives a JSON *string*.
    assert done["output"] == {"approved": '{"ok": true}'}
    async with http.post(host.url("api/client/terminate/sdk-2")) as response:
        assert response.status == 200
    await poll_status(http, host.url("runtime/webhooks/durabletask/instances/sdk-2"))
    async with http.get(host.url("api/client/list")) as response:
        assert await response.json() == ["sdk-1", "sdk-2"]
    async with http.get(host.url("api/client/list_completed")) as response:
        assert await response.json() == ["sdk-1"]
    async with http.delete(host.url("api/client/purge/sdk-1")) as response:
        assert await response.json() == {"deleted": 1}
    async with http.get(host.url("api/client/list")) as response:
        assert await response.json() == ["sdk-2"]


async def test_show_history_returns_the_history_events(host, http):
    links = await start(http, host, "greet", ["a"])
    await poll_status(http, links["statusQueryGetUri"])
    url = links["statusQueryGetUri"] + "&showHistory=true&showHistoryOutput=true"
    async with http.get(url) as response:
        status = await response.json()
    types = [e["EventType"] for e in status["historyEvents"]]
    assert types[0] == "ExecutionStarted" and types[-1] == "ExecutionCompleted"
    assert "TaskCompleted" in types


async def test_start_with_timeout_waits_and_answers_with_the_output(host, http):
    url = host.url("runtime/webhooks/durabletask/orchestrators/greet")
    params = {"timeout": "30", "pollingInterval": "1"}
    # Encoded twice, as the SDK client does: a bare JSON array as ExecutionStarted input would
    # reach the SDK as a list, which its get_input() cannot load (the real host fails it too).
    async with http.post(url, params=params, json=json.dumps(["Oslo"])) as response:
        assert response.status == 200
        assert await response.json() == ["Hello Oslo"]


async def test_start_with_timeout_still_running_answers_202(host, http):
    url = host.url("runtime/webhooks/durabletask/orchestrators/wait_for_approval")
    params = {"timeout": "0.05", "pollingInterval": "0.01"}
    async with http.post(url, params=params) as response:
        assert response.status == 202
        assert set(await response.json()) == CHECK_STATUS_KEYS - {"rewindPostUri"}
