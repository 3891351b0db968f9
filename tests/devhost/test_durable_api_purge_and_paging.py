"""Purge and the instance list, as DurableTask.AzureStorage 1.17.5 behind extension 2.13.7 do them.

The rules hold for the RPC base and the public webhooks alike; the tests use the webhooks.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from devhost.testing import poll_status

API = "runtime/webhooks/durabletask"


async def _start(host, http, name: str, instance_id: str, body=None) -> str:
    async with http.post(host.url(f"{API}/orchestrators/{name}/{instance_id}"), json=body) as r:
        assert r.status == 202
        return (await r.json())["statusQueryGetUri"]


async def _ids(host, http) -> list[str]:
    async with http.get(host.url(f"{API}/instances/")) as response:
        return [row["instanceId"] for row in await response.json()]


async def test_purging_a_running_instance_by_id_deletes_it(host, http):
    """HttpApiHandler.HandleDeleteHistoryByIdRequestAsync checks only that the instance exists;
    AzureTableTrackingStore.PurgeInstanceHistoryAsync(instanceId) (DurableTask.AzureStorage
    1.17.5) then deletes its row and history whatever its status: 200, not 412."""
    status_url = await _start(host, http, "wait_for_approval", "purge-running")
    await host.engine.wait_idle()
    async with http.get(status_url) as response:
        assert (await response.json())["runtimeStatus"] == "Running"
    async with http.delete(status_url) as response:
        assert response.status == 200
        assert await response.json() == {"instancesDeleted": 1}
    async with http.get(status_url) as response:
        assert response.status == 404
    raise_url = host.url(f"{API}/instances/purge-running/raiseEvent/Approval")
    async with http.post(raise_url, json="late") as response:
        assert response.status == 404
    assert "purge-running" not in host.engine.instances  # no longer driven


async def test_a_caller_waiting_for_a_purged_instance_is_released(host):
    """Nothing waits forever for an instance that no longer exists: wait() returns {}."""
    await host.engine.start_new("wait_for_approval", "purge-waited")
    waiting = asyncio.ensure_future(host.engine.wait("purge-waited"))
    await host.engine.wait_idle()
    assert host.engine.purge("purge-waited") == 1
    assert await asyncio.wait_for(waiting, 5) == {}


@pytest.mark.parametrize(
    ("statuses", "deleted", "left"),
    [
        (None, 2, []),
        ("Completed", 1, ["p-waiting"]),
        ("Running", 2, []),  # a non-terminal status is dropped from the filter: no filter left
        ("Running,Completed", 1, ["p-waiting"]),
        ("Failed", 0, ["p-done", "p-waiting"]),
    ],
)
async def test_purge_by_filter_keeps_only_terminal_statuses_and_without_one_deletes_all(
    host, http, statuses, deleted, left
):
    """AzureTableTrackingStore.PurgeInstanceHistoryAsync(createdTimeFrom, createdTimeTo,
    runtimeStatus) keeps Completed, Terminated, Canceled and Failed from the status filter; with
    none left, OrchestrationInstanceStatusQueryCondition adds no status condition and running
    instances in the time range are deleted too. Nothing deleted is a bare 404."""
    done = await _start(host, http, "greet", "p-done", json.dumps(["a"]))  # as the SDK sends it
    assert (await poll_status(http, done))["runtimeStatus"] == "Completed"
    await _start(host, http, "wait_for_approval", "p-waiting")
    await host.engine.wait_idle()  # Running, waiting for its event
    params = {"createdTimeFrom": "2000-01-01T00:00:00Z"}
    if statuses is not None:
        params["runtimeStatus"] = statuses
    async with http.delete(host.url(f"{API}/instances/"), params=params) as response:
        if deleted:
            assert response.status == 200
            assert await response.json() == {"instancesDeleted": deleted}
        else:
            assert response.status == 404
    assert await _ids(host, http) == left


async def test_instance_list_returns_100_per_page_with_a_continuation_token(host, http):
    """OrchestrationStatusQueryCondition.PageSize defaults to 100 (extension); the Instances
    table returns rows in PartitionKey (instance id) order with a continuation token while
    more remain, and HttpApiHandler copies it to `x-ms-continuation-token`. The SDK 1.7
    client (`get_status_all`) reads one page only, so it sees the first 100."""
    expected = [f"many-{i:03d}" for i in range(130)]
    for instance_id in reversed(expected):
        await host.engine.start_new("wait_for_approval", instance_id)
    url = host.url(f"{API}/instances/")
    async with http.get(url) as response:
        first = [row["instanceId"] for row in await response.json()]
        token = response.headers["x-ms-continuation-token"]
    assert first == expected[:100] and token
    async with http.get(url, headers={"x-ms-continuation-token": token}) as response:
        second = [row["instanceId"] for row in await response.json()]
        assert response.headers["x-ms-continuation-token"] == ""
    assert second == expected[100:]
    async with http.get(url, params={"top": "30"}) as response:
        assert len(await response.json()) == 30
    async with http.get(host.url("api/client/list")) as response:
        assert await response.json() == expected[:100]


@pytest.mark.parametrize("top", ["0", "-5"])
async def test_instance_list_page_size_must_be_positive(host, http, top):
    """`top` <= 0 makes DurableTask.AzureStorage 1.17.5 throw an ArgumentException
    (`new List<OrchestrationState>(top)`, `TableQuery.Take(top)`), which HttpApiHandler
    answers with 400 "One or more of the arguments submitted is incorrect"."""
    async with http.get(host.url(f"{API}/instances/"), params={"top": top}) as response:
        assert response.status == 400
        body = await response.json()
    assert body["Message"] == "One or more of the arguments submitted is incorrect"


@pytest.mark.parametrize("top", ["99999999999999999999999", "2147483648", "1_0", "\u0661\u0660"])
async def test_instance_list_page_size_that_int_tryparse_refuses_is_the_default(host, http, top):
    """HttpApiHandler reads `top` with `int.TryParse`: a value outside Int32, an underscore or
    non-ASCII digits fail it, and OrchestrationStatusQueryCondition keeps its PageSize of 100
    (Python's `int()` would take the last three, and the first broke `islice` with a 400)."""
    for n in range(101):
        await host.engine.start_new("wait_for_approval", f"top-{n:03d}")
    async with http.get(host.url(f"{API}/instances/"), params={"top": top}) as response:
        assert response.status == 200
        assert len(await response.json()) == 100
        assert response.headers["x-ms-continuation-token"]
