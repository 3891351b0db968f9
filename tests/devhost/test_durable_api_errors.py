"""Durable HTTP API error paths answer with the extension's status codes and bodies."""

import pytest

UNKNOWN = (
    "The function 'nope' doesn't exist, is disabled, or is not an orchestrator function. "
    "Additional info: The following are the known orchestrator functions: "
    "'greet', 'wait_for_approval'."
)


@pytest.fixture(params=["durabletask", "runtime/webhooks/durabletask"])
def api(request, host):
    """Both bases: the RPC endpoint (rpcBaseUrl) and the public webhooks."""
    return lambda path: host.url(f"{request.param}/{path}")


async def test_unknown_orchestrator_is_a_400_with_the_exception_message(api, http):
    async with http.post(api("orchestrators/nope"), json={"a": 1}) as response:
        assert response.status == 400
        body = await response.json()
    assert body["Message"] == "One or more of the arguments submitted is incorrect"
    assert body["ExceptionMessage"] == UNKNOWN
    assert body["ExceptionType"] == "System.ArgumentException"


async def test_the_sdk_surfaces_that_message_to_the_starter(host, http):
    async with http.post(host.url("api/start/nope"), json=1) as response:
        assert response.status == 400
        assert await response.json() == {"error": UNKNOWN}


async def test_invalid_json_input_is_a_400(api, http):
    async with http.post(api("orchestrators/greet"), data=b"{not json") as response:
        assert response.status == 400
        assert (await response.json())["Message"] == "Invalid JSON content"


@pytest.mark.parametrize("deep", [b"[" * 5000 + b"]" * 5000, b'{"a":' * 5000 + b"1" + b"}" * 5000])
async def test_deeply_nested_json_input_is_a_400_not_a_500(api, http, deep):
    """HttpApiHandler.HandleStartOrchestratorRequestAsync (Azure/azure-functions-durable-extension)
    catches the JsonReaderException that Newtonsoft.Json 13 throws past its default MaxDepth of 64
    and answers 400 "Invalid JSON content"; devhost's reader (newtonsoft_json.py) stops at the
    same depth, so even 5,000 levels never reach a recursion limit or a 500."""
    async with http.post(api("orchestrators/greet"), data=deep) as response:
        assert response.status == 400
        assert (await response.json())["Message"] == "Invalid JSON content"


async def test_start_answers_202_with_the_check_status_links(api, http):
    async with http.post(api("orchestrators/greet/fixed-id"), json=["x"]) as response:
        assert response.status == 202
        body = await response.json()
    assert body["id"] == "fixed-id"
    assert "rewindPostUri" not in body  # CreateCheckStatusResponseMessage leaves it out
    assert response.headers["Location"] == body["statusQueryGetUri"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "instances/missing"),
        ("DELETE", "instances/missing"),
        ("POST", "instances/missing/terminate"),
        ("POST", "instances/missing/raiseEvent/Approval"),
        ("GET", "orchestrators/greet"),  # right route, wrong method: 404 as in HttpApiHandler
        ("PUT", "instances/missing"),
        ("GET", "no/such/route"),
    ],
)
async def test_unknown_instances_and_routes_are_bare_404s(api, http, method, path):
    headers = {"Content-Type": "application/json"}
    async with http.request(method, api(path), data=b'"x"', headers=headers) as response:
        assert response.status == 404
        assert await response.read() == b""


async def test_raise_event_needs_json_content(api, http):
    async with http.post(api("orchestrators/wait_for_approval/ev-1")) as response:
        assert response.status == 202
    url = api("instances/ev-1/raiseEvent/Approval")
    async with http.post(url, data=b"yes", headers={"Content-Type": "text/plain"}) as response:
        assert response.status == 400
        assert await response.json() == {
            "Message": "Only application/json request content is supported"
        }
    async with http.post(url, data=b"{", headers={"Content-Type": "application/json"}) as response:
        assert response.status == 400


async def test_purge_by_filter_needs_created_time_from(api, http):
    async with http.delete(api("instances/")) as response:
        assert response.status == 400
        assert await response.json() == "Please provide value for 'createdTimeFrom' parameter."


async def test_list_pages_with_top_and_the_continuation_token(api, http):
    for i in range(3):
        async with http.post(api(f"orchestrators/wait_for_approval/page-{i}")) as response:
            assert response.status == 202
    async with http.get(api("instances/"), params={"top": "2"}) as response:
        first = await response.json()
        token = response.headers["x-ms-continuation-token"]
    headers = {"x-ms-continuation-token": token}
    async with http.get(api("instances/"), params={"top": "2"}, headers=headers) as response:
        second = await response.json()
        assert response.headers["x-ms-continuation-token"] == ""
    ids = sorted(s["instanceId"] for s in first + second)
    assert (len(first), len(second), ids) == (2, 1, ["page-0", "page-1", "page-2"])


@pytest.mark.parametrize("operation", ["suspend", "resume", "rewind", "restart"])
async def test_operations_the_engine_lacks_are_501_not_silently_accepted(api, http, operation):
    async with http.post(api("orchestrators/wait_for_approval/op-1")) as response:
        assert response.status == 202
    async with http.post(api(f"instances/op-1/{operation}?reason=x")) as response:
        assert response.status == 501
    async with http.post(api(f"instances/missing/{operation}?reason=x")) as response:
        # restart answers the ArgumentException of RestartAsync (test_restart_of_a_missing_...)
        assert response.status == (400 if operation == "restart" else 404)


async def test_starting_a_running_instance_id_again_is_a_409(api, http):
    async with http.post(api("orchestrators/wait_for_approval/dup")) as response:
        assert response.status == 202
    async with http.post(api("orchestrators/wait_for_approval/dup")) as response:
        assert response.status == 409
