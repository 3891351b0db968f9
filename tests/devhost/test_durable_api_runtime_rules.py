"""The Durable HTTP API rules of docs/durable-replay-protocol.md §9.2 (21 onwards): each test is
named for the rule and cites where the real extension, DurableTask.AzureStorage or
Newtonsoft.Json decides it."""

import json
import shutil
from urllib.parse import quote

import pytest
from multidict import MultiDict

import contract
from devhost.http.durable_query import parse_statuses, purge_matching
from devhost.http.local_settings import connection_name

EIGHT_FIELDS = {
    "name",
    "instanceId",
    "runtimeStatus",
    "input",
    "customStatus",
    "output",
    "createdTime",
    "lastUpdatedTime",
}
JSON = {"Content-Type": "application/json"}


@pytest.fixture(params=["durabletask", "runtime/webhooks/durabletask"])
def api(request, host):
    """Both bases: the RPC endpoint (rpcBaseUrl) and the public webhooks."""
    return lambda path: host.url(f"{request.param}/{path}")


async def _start(http, api, instance_id, body=b"", query=""):
    url = api(f"orchestrators/wait_for_approval/{instance_id}{query}")
    async with http.post(url, data=body) as response:
        return response.status, await response.json()


async def _status(http, api, instance_id, query=""):
    async with http.get(api(f"instances/{instance_id}{query}")) as response:
        return response.status, (await response.json() if response.status != 404 else None)


# -- 10. bodies as Newtonsoft reads them -------------------------------------------------------


async def test_start_body_of_whitespace_is_a_null_input(api, http):
    """HttpApiHandler.HandleStartOrchestratorRequestAsync (azure-functions-durable-extension
    v2.13.7) reads a body whose Content-Length is not 0 with `ReadAsStringAsync` and
    `JsonConvert.DeserializeObject`, which returns null for whitespace: 202, input null."""
    assert (await _start(http, api, "ws-1", b" \r\n\t "))[0] == 202
    code, status = await _status(http, api, "ws-1")
    assert (code, status["input"]) == (202, None)


@pytest.mark.parametrize(
    ("body", "stored"),
    [
        (b"{'a': 1}", {"a": 1}),
        (b"{a: 1, $b_2: 'x'}", {"a": 1, "$b_2": "x"}),
        (b"[1, 2,]", [1, 2]),
        (b'/* note */ {"a": 1} // end', {"a": 1}),
        (b"0x1F", 31),
    ],
)
async def test_start_body_newtonsofts_lenient_reader_accepts_is_a_202(api, http, body, stored):
    """Newtonsoft.Json 13.0.3 `JsonTextReader` (JamesNK/Newtonsoft.Json
    Src/Newtonsoft.Json/JsonTextReader.cs: `ParseProperty` takes single quotes and, through
    `ParseUnquotedProperty`/`ValidIdentifierChar`, unquoted names; `ParseComment`; trailing
    commas end at `]`/`}`; `ParseReadNumber` reads hex) accepts these start bodies; the extension
    stores the token re-serialised as JSON."""
    code, links = await _start(http, api, "lenient-1", body)
    assert code == 202, links
    assert (await _status(http, api, "lenient-1"))[1]["input"] == stored


async def test_start_body_after_a_byte_order_mark_is_read_without_it(api, http):
    """`HttpContent.ReadAsStringAsync` (dotnet/runtime System.Net.Http, `ReadBufferAsString`)
    drops the UTF-8 preamble before Newtonsoft reads the text: a BOM-prefixed body is a 202."""
    code, _ = await _start(http, api, "bom-1", b'\xef\xbb\xbf{"a": 1}')
    assert code == 202
    assert (await _status(http, api, "bom-1"))[1]["input"] == {"a": 1}


async def test_start_body_with_trailing_content_is_a_400(api, http):
    """`JsonConvert.DeserializeObject` sets `CheckAdditionalContent`: text after the value is a
    JsonReaderException, which HandleStartOrchestratorRequestAsync answers 400 "Invalid JSON
    content" (nothing is started)."""
    code, body = await _start(http, api, "trail-1", b'{"ok": true} trailing')
    assert (code, body["Message"]) == (400, "Invalid JSON content")
    assert body["ExceptionType"] == "Newtonsoft.Json.JsonReaderException"
    assert (await _status(http, api, "trail-1"))[0] == 404


async def test_raise_event_body_is_read_by_jtoken_load(api, http, host):
    """HttpApiHandler.HandleRaiseEventRequestAsync reads the body with
    `MessagePayloadDataConverter.ConvertToJToken`, i.e. `JToken.Load(JsonTextReader)`: one value,
    whatever follows it is never read. So `{'ok': true} trailing` is a 202 delivering
    `{"ok": true}`; a body of whitespace has no token: 400."""
    assert (await _start(http, api, "ev-trail"))[0] == 202
    url = api("instances/ev-trail/raiseEvent/Approval")
    async with http.post(url, data=b"  ", headers=JSON) as response:
        assert response.status == 400
        assert (await response.json())["Message"] == "Invalid JSON content"
    async with http.post(url, data=b"{'ok': true} trailing", headers=JSON) as response:
        assert response.status == 202
    await host.engine.wait("ev-trail", 10)
    assert (await _status(http, api, "ev-trail"))[1]["output"] == {"approved": {"ok": True}}


@pytest.mark.parametrize(("depth", "code"), [(64, 202), (65, 400)])
async def test_json_nested_past_newtonsofts_max_depth_of_64_is_a_400(api, http, depth, code):
    """Newtonsoft.Json 13 `JsonReader.MaxDepth` defaults to 64 (`JsonReader.Push` throws "The
    reader's MaxDepth of 64 has been exceeded." on the 65th nested container)."""
    body = b"[" * depth + b"]" * depth
    assert (await _start(http, api, f"deep-{depth}", body))[0] == code


async def test_nan_input_is_stored_as_the_string_nan(api, http):
    """`JsonTextReader.ParseNumberNaN` reads NaN and the infinities as doubles; the extension
    serialises them with JsonSerializerSettings' default `FloatFormatHandling.String`, so the
    stored input is `"NaN"`, never bare NaN (which no JSON reader, Python's SDK included, takes
    back portably)."""
    body = b'{"a": NaN, "b": Infinity, "c": -Infinity}'
    assert (await _start(http, api, "nan-1", body))[0] == 202
    stored = (await _status(http, api, "nan-1"))[1]["input"]
    assert stored == {"a": "NaN", "b": "Infinity", "c": "-Infinity"}


# -- 11. a wait shorter than the polling interval ----------------------------------------------


async def test_wait_timeout_below_polling_interval_is_a_400_after_starting(api, http):
    """HttpApiHandler.HandleStartOrchestratorRequestAsync calls `StartNewAsync` first, then
    `WaitForCompletionOrCreateCheckStatusResponseAsync`, which throws `ArgumentException("Total
    timeout 1 should be bigger than retry timeout 2")` when `retryInterval > timeout`
    (Azure Storage does not support poll-free waits); HandleRequestAsync answers it 400. The
    instance is running."""
    code, body = await _start(http, api, "short-wait", query="?timeout=1&pollingInterval=2")
    assert code == 400
    assert body["Message"] == "One or more of the arguments submitted is incorrect"
    assert body["ExceptionMessage"] == "Total timeout 1 should be bigger than retry timeout 2"
    assert (await _status(http, api, "short-wait"))[0] == 202


# -- 12. the connection name in the management links -------------------------------------------


def test_connection_name_comes_from_host_json_storage_provider():
    """`AzureStorageOptions.ConnectionName` (and the obsolete `ConnectionStringName`, bound
    after it) from `extensions.durableTask.storageProvider`; AzureStorageDurabilityProviderFactory
    makes it `DefaultConnectionName`, else "Storage"."""
    provider = {"connectionName": "MyStorage"}
    assert connection_name({"extensions": {"durableTask": {"storageProvider": provider}}}) == (
        "MyStorage"
    )
    both = {"ConnectionName": "A", "connectionStringName": "B"}
    assert connection_name({"extensions": {"durableTask": {"storageProvider": both}}}) == "B"
    assert connection_name({}) is None


async def test_management_links_carry_the_host_json_connection_name(
    host_factory, apps_dir, tmp_path, http
):
    """HttpApiHandler.GetClientResponseLinks writes `connection=` from the request's
    `connection` query or `DurableTaskExtension.GetDefaultConnectionName()`."""
    shutil.copy(apps_dir / "http_fixture_app.py", tmp_path)
    storage = {"storageProvider": {"connectionName": "MyStorage"}}
    host_json = {"version": "2.0", "extensions": {"durableTask": storage}}
    (tmp_path / "host.json").write_text(json.dumps(host_json))
    host = await host_factory("http_fixture_app", app_dir=tmp_path)
    url = host.url("runtime/webhooks/durabletask/orchestrators/wait_for_approval/conn-1")
    async with http.post(url) as response:
        links = await response.json()
    assert "&connection=MyStorage&" in links["statusQueryGetUri"]
    async with http.post(url.replace("conn-1", "conn-2") + "?Connection=Other") as response:
        assert "&connection=Other&" in (await response.json())["statusQueryGetUri"]


# -- 13. ?taskHub= selects another hub ---------------------------------------------------------


async def test_task_hub_query_selects_another_hub(api, http):
    """HttpApiHandler.GetClient builds the client for the `taskHub` query (any case, not blank):
    another hub has no instance of this one, so status, raise event, terminate and purge are
    404 and the list is empty; the hub's own name in another case is the same hub (Azure
    Storage table names ignore case)."""
    assert (await _start(http, api, "hub-1"))[0] == 202
    other = "?taskHub=OtherHub"
    assert (await _status(http, api, "hub-1", other))[0] == 404
    assert (await _status(http, api, "hub-1", "?taskhub=testhubname"))[0] == 202
    url = api(f"instances/hub-1/raiseEvent/Approval{other}")
    async with http.post(url, data=b"true", headers=JSON) as response:
        assert response.status == 404
    async with http.post(api(f"instances/hub-1/terminate{other}")) as response:
        assert response.status == 404
    async with http.delete(api(f"instances/hub-1{other}")) as response:
        assert response.status == 404
    async with http.get(api(f"instances/{other}")) as response:
        assert (response.status, await response.json()) == (200, [])
    async with http.post(api(f"instances/hub-1/restart{other}")) as response:
        assert response.status == 400  # RestartAsync finds no such instance there
    assert (await _status(http, api, "hub-1"))[1]["runtimeStatus"] == "Running"


async def test_start_in_another_task_hub_is_refused(api, http):
    """Documented difference: on Azure the start lands in the other hub, where no worker of this
    app runs it; devhost serves one hub and answers 400 naming it."""
    code, body = await _start(http, api, "hub-2", query="?taskHub=OtherHub")
    assert code == 400
    assert body["ExceptionMessage"] == "devhost serves one task hub, 'TestHubName', not 'OtherHub'."
    assert (await _status(http, api, "hub-2"))[0] == 404


# -- 14. status bodies carry only the extension's fields ---------------------------------------


async def test_status_bodies_carry_only_the_eight_fields_and_counters_have_their_own_route(
    api, http, host
):
    """HttpApiHandler.ConvertFrom (StatusResponsePayload) writes name, instanceId,
    runtimeStatus, input, customStatus, output, createdTime, lastUpdatedTime (and historyEvents
    when asked): GET status, list rows and start-and-wait answers have nothing else. devhost's
    counters answer on `devhost/instances/{id}/counters` beside the RPC base, the path the app
    reads (`contract.DEVHOST_COUNTERS_PATH`)."""
    assert (await _start(http, api, "fields-1"))[0] == 202
    assert set((await _status(http, api, "fields-1"))[1]) == EIGHT_FIELDS
    async with http.get(api("instances/")) as response:
        assert all(set(row) == EIGHT_FIELDS for row in await response.json())
    url = api("instances/fields-1/terminate?reason=stop")
    async with http.post(url) as response:
        assert response.status == 202
    await host.engine.wait("fields-1", 10)
    assert set((await _status(http, api, "fields-1"))[1]) == EIGHT_FIELDS
    path = contract.DEVHOST_COUNTERS_PATH.format(instance_id="fields-1")
    async with http.get(host.url(f"durabletask/{path}")) as response:
        counters = await response.json()
    assert counters["episodes"] == host.engine.counters("fields-1").episodes == 2
    async with http.get(host.url("durabletask/devhost/instances/missing/counters")) as response:
        assert response.status == 404


# -- 16. runtimeStatus=99 ----------------------------------------------------------------------


async def test_runtime_status_99_is_kept_as_a_filter_and_lists_nothing(api, http):
    """TryGetIEnumerableQueryParameterValue keeps what .NET `Enum.TryParse` takes, any Int32
    included; DurableTask.AzureStorage then queries `RuntimeStatus eq '99'`: no row."""
    assert (await _start(http, api, "filter-1"))[0] == 202
    async with http.get(api("instances/?runtimeStatus=99")) as response:
        assert await response.json() == []
    async with http.get(api("instances/?runtimeStatus=99,Running")) as response:
        assert [row["instanceId"] for row in await response.json()] == ["filter-1"]
    async with http.get(api("instances/?runtimeStatus=running")) as response:  # case-sensitive
        assert [row["instanceId"] for row in await response.json()] == ["filter-1"]


@pytest.mark.parametrize("unknown", ["Unknown", "-1"])
async def test_runtime_status_unknown_is_a_400_in_the_list(api, http, unknown):
    """`OrchestrationRuntimeStatus.Unknown` (-1) parses, but AzureStorageDurabilityProvider
    `ConvertWebjobsDurableConditionToAzureStorageCondition` turns each status into DTFx's
    `OrchestrationStatus` with `Enum.Parse(…, "Unknown")`, which throws an ArgumentException:
    HandleRequestAsync's 400."""
    async with http.get(api(f"instances/?runtimeStatus={unknown}")) as response:
        assert response.status == 400
        body = await response.json()
    assert body["ExceptionMessage"] == "Requested value 'Unknown' was not found."


def test_purge_by_filter_drops_runtime_status_99_like_other_running_statuses():
    """AzureTableTrackingStore.PurgeInstanceHistoryAsync keeps only the terminal statuses of the
    filter; 99 is not one, so `runtimeStatus=99` purges by time alone (rule 5)."""
    assert parse_statuses(MultiDict(runtimeStatus=" 99, -1,Completed,x")) == {
        "99",
        "-1",
        "Completed",
    }
    rows = [{"instanceId": "a", "runtimeStatus": "Running", "createdTime": "2026-01-01T00:00:00Z"}]
    query = MultiDict(runtimeStatus="99", createdTimeFrom="2025-01-01T00:00:00Z")
    assert purge_matching(rows, query) == rows


# -- 17. instance id length in UTF-16 units ----------------------------------------------------


@pytest.mark.parametrize(("instance_id", "code"), [("😀" * 128, 202), ("😀" * 129, 400)])
async def test_instance_id_length_is_counted_in_utf16_units(api, http, instance_id, code):
    """DurableClient `StartNewAsync<T>` refuses `instanceId.Length > 256`; .NET counts UTF-16
    code units, so an emoji (a surrogate pair) counts twice: 128 fit, 129 do not."""
    status, body = await _start(http, api, quote(instance_id))
    assert status == code
    if code == 400:
        assert body["ExceptionMessage"] == "Instance ID lengths must not exceed 256 characters."


# -- 18. restart of a missing instance ---------------------------------------------------------


async def test_restart_of_a_missing_instance_is_a_400(api, http):
    """DurableClient.RestartAsync throws `ArgumentException("An orchestrastion with the
    instanceId … was not found.")` (sic); HttpApiHandler.HandleRestartInstanceRequestAsync
    answers it 400 "InstanceId does not match a valid orchestration instance."."""
    async with http.post(api("instances/missing/restart")) as response:
        assert response.status == 400
        body = await response.json()
    assert body["Message"] == "InstanceId does not match a valid orchestration instance."
    assert body["ExceptionMessage"] == (
        "An orchestrastion with the instanceId missing was not found."
    )


# -- what a hostile client meets ---------------------------------------------------------------


async def test_check_status_links_copy_the_requests_host(host, http):
    """HttpApiHandler.GetClientResponseLinks builds every link from `request.RequestUri`'s
    authority, i.e. the Host header Kestrel accepted (headers up to its 32 KB
    MaxRequestHeadersTotalSize): a 6,000-character host name is in each of the 7 links, as on
    the real host. (On Azure, App Service's front end refuses a host name the app does not have.)"""
    name = "a" * 6000
    url = host.url("runtime/webhooks/durabletask/orchestrators/wait_for_approval/host-1")
    async with http.post(url, headers={"Host": name}) as response:
        links = await response.json()
    assert response.status == 202
    assert sum(f"http://{name}/" in str(link) for link in links.values()) == 7


async def test_unknown_orchestrator_name_is_echoed_in_full(api, http):
    """DurableTaskExtension.GetInvalidOrchestratorFunctionMessage ("The function '…' doesn't
    exist, is disabled, or is not an orchestrator function. …") quotes the name as given; a
    7,000-character name fits Kestrel's 8 KB MaxRequestLineSize, so the 400 carries it."""
    name = "n" * 7000
    async with http.post(api(f"orchestrators/{name}")) as response:
        assert response.status == 400
        assert f"The function '{name}' doesn't exist" in (await response.json())["ExceptionMessage"]
