"""HTTP triggers: what the caller sends reaches the function as the worker would build it, and
what the function returns goes back as the host would write it."""

import logging
import re

import pytest


async def test_method_url_query_headers_body_and_route_values_reach_the_function(host, http):
    url = host.url("api/echo/abc/5?x=1&x=2&y=three")
    async with http.post(url, data=b"\x00payload", headers={"X-Probe": "p1"}) as response:
        assert response.status == 200
        seen = await response.json()
    assert seen["method"] == "POST"
    assert seen["url"] == url
    assert seen["params"] == {"x": "1,2", "y": "three"}  # repeated keys joined, as ASP.NET does
    assert seen["route_params"] == {"word": "abc", "n": "5"}
    assert seen["headers"]["x-probe"] == "p1"
    assert seen["body"] == "\x00payload"


async def test_an_optional_route_value_may_be_missing(host, http):
    async with http.get(host.url("api/echo/abc")) as response:
        assert response.status == 200
        assert (await response.json())["route_params"] == {"word": "abc"}


@pytest.mark.parametrize("path", ["api/echo/abc/x", "api/echo/ab1", "api/nowhere", "echo/abc"])
async def test_unknown_routes_and_failed_constraints_are_bare_404s(host, http, path):
    async with http.get(host.url(path)) as response:
        assert response.status == 404
        assert await response.read() == b""


async def test_a_known_route_with_another_method_is_a_404_like_the_host(host, http):
    # The Functions host answers 404, not 405 (azure-functions-host#10098).
    async with http.delete(host.url("api/echo/abc")) as response:
        assert response.status == 404
        assert await response.read() == b""


async def test_sync_functions_run_in_the_worker_pool_and_async_ones_on_the_loop(host, http):
    async with http.get(host.url("api/echo/abc")) as response:
        assert (await response.json())["thread"].startswith("devhost-http")
    async with http.get(host.url("api/async-echo/a/b/c")) as response:
        assert await response.json() == {"rest": "a/b/c", "thread": "MainThread"}


async def test_a_literal_route_wins_over_a_parameter(host, http):
    async with http.get(host.url("api/items/special")) as response:
        assert await response.text() == "special"
    async with http.get(host.url("api/items/7")) as response:
        assert await response.text() == "item 7"


async def test_a_string_return_is_a_200_text_response(host, http):
    async with http.get(host.url("api/items/7")) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"


async def test_no_return_value_is_a_204(host, http):
    async with http.get(host.url("api/nothing")) as response:
        assert response.status == 204


async def test_an_exception_is_a_500_with_an_empty_body(host, http, caplog):
    """...and one error line as for any function (devhost/work/invocation_log.py): "Executed
    'Functions.boom' (Failed, Id=<guid>, Duration=<n>ms)" and the worker's RpcException text."""
    caplog.set_level(logging.ERROR, logger="devhost.functions")
    async with http.get(host.url("api/boom")) as response:
        assert response.status == 500
        assert await response.read() == b""
    [line] = [r.getMessage() for r in caplog.records if r.name == "devhost.functions"]
    head, rpc = line.split("\n", 1)
    assert re.fullmatch(
        r"Executed 'Functions\.boom' \(Failed, Id=[0-9a-f-]{36}, Duration=\d+ms\)", head
    )
    assert rpc.startswith("Result: Failure\nException: RuntimeError: boom\nStack: ")


async def test_http_response_status_headers_and_mimetype_are_kept(host, http):
    async with http.post(host.url("api/start/greet"), json=[]) as response:
        assert response.status == 202
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["Retry-After"] == "10"
        assert response.headers["Location"] == (await response.json())["statusQueryGetUri"]


async def test_a_context_parameter_gets_the_invocation_context(host, http):
    async with http.get(host.url("api/whoami")) as response:
        seen = await response.json()
    assert seen["function_name"] == "who_am_i"
    assert len(seen["invocation_id"]) == 36


async def test_function_keys_are_not_checked(host, http):
    async with http.get(host.url("api/items/7?code=wrong")) as response:
        assert response.status == 200


async def test_the_route_list_names_methods_and_urls(host):
    rows = {name: (methods, url) for name, methods, url in host.function_urls()}
    assert rows["start"] == ("POST", f"{host.base_url}/api/start/{{name}}/{{instance_id?}}")
    assert rows["who_am_i"] == ("", f"{host.base_url}/api/whoami")
    assert ("greet", "orchestrationTrigger") in host.other_functions()
    assert ("say_hello", "activityTrigger") in host.other_functions()
