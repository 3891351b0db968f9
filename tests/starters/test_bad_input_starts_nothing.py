"""Every row of the bad-input table gets its 4xx problem, and nothing is started."""

import gzip
import json

import pytest

from app_settings import DEFAULT_MAX_INVOICE_COUNT, MAX_INVOICE_COUNT
from contract import CALCULATE_INVOICE, CALL_HTTP_LOOP, FAN_OUT_FAN_IN, RAW_HTTP_LOOP

MAX = DEFAULT_MAX_INVOICE_COUNT

QUERY_CASES = [
    ("count", "abc"),
    ("count", ""),
    ("count", "5.5"),
    ("count", "5.0"),
    ("count", "1e3"),
    ("count", "٥"),  # Arabic-Indic five: int() would accept it
    ("count", " 5"),
    ("count", "5 "),
    ("count", "+5"),
    ("count", "-3"),
    ("count", "5_000"),
    ("count", "0005"),
    ("count", "0"),
    ("count", "1001"),
    ("count", "9" * 40),
    ("count", "true"),
    ("seed", "-1"),
    ("seed", "2147483648"),
    ("seed", "x"),
]

BODY_CASES = [
    b'{"count": 5',  # malformed JSON
    b"[5]",  # not an object
    b'"5"',
    b"null",
    b"5",
    b'{"count": NaN}',
    b'{"count": Infinity}',
    b'{"count": 1e309}',
    b'{"count": 1, "count": 900}',  # duplicate keys
    b'{"count": 5, "url": "http://169.254.169.254"}',  # unknown field (and an SSRF attempt)
    b'{"count": 5, "api_url": "http://evil.example"}',
    b'{"count": true}',
    b'{"count": 5.0}',
    b'{"count": 1e3}',
    b'{"count": "5"}',
    b'{"count": "\xd9\xa5"}',  # Arabic-Indic five, as a JSON string
    b'{"count": 0}',
    b'{"count": -3}',
    b'{"count": 1001}',
    b'{"count": ' + b"9" * 5000 + b"}",  # beyond Python's int-parsing limit
    b'{"seed": 2147483648}',
    b'{"seed": -1}',
    b'{"count": 5, "max_parallel": 2}',  # max_parallel is for the fan-out only
    b"\xff\xfe not utf-8",
]


async def assert_problem(response, status, client):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem = json.loads(response.get_body())
    assert set(problem) == {"type", "title", "status", "detail"}
    assert problem["status"] == status
    assert problem["type"] == "about:blank"
    assert problem["detail"]
    client.start_new.assert_not_awaited()
    return problem


@pytest.mark.parametrize(("name", "value"), QUERY_CASES)
async def test_bad_query_values_get_400(call, client, request_factory, name, value):
    req = request_factory(params={name: value}, route_params={"name": RAW_HTTP_LOOP})
    problem = await assert_problem(await call("start_orchestrator", req, client), 400, client)
    assert name in problem["detail"]
    assert repr(value) not in problem["detail"]  # raw input is never echoed back


@pytest.mark.parametrize("body", BODY_CASES)
async def test_bad_bodies_get_400(call, client, request_factory, body):
    req = request_factory(body=body, route_params={"name": CALL_HTTP_LOOP})
    await assert_problem(await call("start_orchestrator", req, client), 400, client)


@pytest.mark.parametrize("body", [b for b in BODY_CASES if b"max_parallel" not in b])
async def test_compare_rejects_the_same_bodies(call, client, request_factory, body):
    req = request_factory(route="compare", body=body)
    await assert_problem(await call("start_comparison", req, client), 400, client)


@pytest.mark.parametrize("name", ["Raw_Http_Loop", "nope", "..%2F", CALCULATE_INVOICE, ""])
async def test_unknown_orchestrator_gets_404(call, client, request_factory, name):
    req = request_factory(route_params={"name": name}, body={"count": 5})
    problem = await assert_problem(await call("start_orchestrator", req, client), 404, client)
    assert RAW_HTTP_LOOP in problem["detail"]


async def test_body_over_64_kib_gets_413(call, client, request_factory):
    body = b'{"count": 5, "seed": 1' + b" " * (64 * 1024) + b"}"
    req = request_factory(body=body, route_params={"name": FAN_OUT_FAN_IN})
    await assert_problem(await call("start_orchestrator", req, client), 413, client)


async def test_non_json_content_type_gets_415(call, client, request_factory):
    req = request_factory(
        body=b"count=5",
        content_type="application/x-www-form-urlencoded",
        route_params={"name": FAN_OUT_FAN_IN},
    )
    await assert_problem(await call("start_orchestrator", req, client), 415, client)


@pytest.mark.parametrize("encoding", ["gzip", "br", "deflate", "x-anything"])
@pytest.mark.parametrize(
    ("function_name", "route"),
    [("start_orchestrator", "orchestrators/fan_out_fan_in"), ("start_comparison", "compare")],
)
async def test_a_compressed_body_gets_415(
    call, client, request_factory, encoding, function_name, route
):
    """The host hands the body over as sent (devhost/http/http_limits.py: never decompressed), so a
    gzip body is an unsupported content coding (RFC 9110 §15.5.16), not "invalid JSON"."""
    req = request_factory(
        route=route,
        body=gzip.compress(b'{"count": 5}'),
        headers={"content-encoding": encoding},
        route_params={"name": FAN_OUT_FAN_IN},
    )
    problem = await assert_problem(await call(function_name, req, client), 415, client)
    assert "Content-Encoding" in problem["detail"]


async def test_identity_content_encoding_is_plain_json(call, client, request_factory):
    req = request_factory(
        body={"count": 5},
        headers={"content-encoding": "identity"},
        route_params={"name": CALL_HTTP_LOOP},
    )
    assert (await call("start_orchestrator", req, client)).status_code == 202


async def test_count_in_both_query_and_body_is_ambiguous(call, client, request_factory):
    req = request_factory(
        body={"count": 5}, params={"count": "6"}, route_params={"name": RAW_HTTP_LOOP}
    )
    await assert_problem(await call("start_orchestrator", req, client), 400, client)


async def test_max_count_follows_the_app_setting(call, client, request_factory, monkeypatch):
    monkeypatch.setenv(MAX_INVOICE_COUNT, "10")
    req = request_factory(body={"count": 11}, route_params={"name": RAW_HTTP_LOOP})
    problem = await assert_problem(await call("start_orchestrator", req, client), 400, client)
    assert "between 1 and 10" in problem["detail"]


HOSTILE_BODIES = {
    "5,000-deep array": b"[" * 5000 + b"]" * 5000,
    "5,000-deep object": b'{"a":' * 5000 + b"1" + b"}" * 5000,
    "deep inside a valid field": b'{"count": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "thousands of distinct keys": (b"{" + b",".join(b'"k%d":1' % i for i in range(6000)) + b"}"),
    "thousands of duplicate keys": b"{" + b",".join([b'"count":1'] * 6000) + b"}",
}


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
@pytest.mark.parametrize(
    ("function_name", "route"),
    [("start_orchestrator", "orchestrators/fan_out_fan_in"), ("start_comparison", "compare")],
)
async def test_hostile_bodies_get_a_short_400(
    call, client, request_factory, body, function_name, route
):
    assert len(body) <= 64 * 1024
    req = request_factory(route=route, body=body, route_params={"name": FAN_OUT_FAN_IN})
    problem = await assert_problem(await call(function_name, req, client), 400, client)
    assert len(json.dumps(problem)) < 500  # never the caller's 60 KB of keys echoed back
