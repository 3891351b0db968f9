"""The client turns every failure into one clear sentence, and sends the function key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from comparison.__main__ import main
from comparison.client import ClientError, ComparisonClient

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str) -> web.Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return web.Response(status=status, text=json.dumps(body), content_type=PROBLEM)


@pytest.fixture
async def fake_app(aiohttp_server: Any) -> Any:
    """A loopback stand-in for the app on port 0; records the headers it saw."""
    seen: list[dict[str, str]] = []

    async def compare(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        if request.headers.get("x-functions-key") != "right":
            return web.Response(status=401)
        return problem(400, "Bad Request", "count must be an integer between 1 and 1000.")

    async def unknown(request: web.Request) -> web.Response:
        return problem(404, "Not Found", "No orchestrator named 'nope'.")

    async def html(request: web.Request) -> web.Response:
        return web.Response(text="<html>hello</html>", content_type="text/html")

    async def teapot(request: web.Request) -> web.Response:
        return web.Response(status=500, text="boom")

    async def no_billing(request: web.Request) -> web.Response:
        return web.Response(status=404)

    app = web.Application()
    app.router.add_post("/api/compare", compare)
    app.router.add_post("/api/orchestrators/{name}", unknown)
    app.router.add_get("/api/runs/{id}", html)
    app.router.add_get("/api/billing/stats", no_billing)
    app.router.add_delete("/api/billing/stats", teapot)
    server = await aiohttp_server(app, host="127.0.0.1", port=0)
    server.seen = seen
    return server


def base(server: Any) -> str:
    return f"http://127.0.0.1:{server.port}"


async def test_problem_json_becomes_title_and_detail(fake_app: Any) -> None:
    async with ComparisonClient(base(fake_app), "right") as client:
        with pytest.raises(ClientError) as caught:
            await client.compare(0, 0)
    assert str(caught.value) == (
        "POST /api/compare was rejected (400 Bad Request): "
        "count must be an integer between 1 and 1000."
    )
    assert caught.value.status == 400


async def test_function_key_is_sent_as_x_functions_key(fake_app: Any) -> None:
    async with ComparisonClient(base(fake_app), "right") as client:
        with pytest.raises(ClientError):
            await client.compare(5, 0)
    assert fake_app.seen[-1]["x-functions-key"] == "right"


async def test_401_asks_for_a_function_key(fake_app: Any) -> None:
    async with ComparisonClient(base(fake_app)) as client:
        with pytest.raises(ClientError, match=r"HTTP 401\); pass a valid function key") as caught:
            await client.compare(5, 0)
    assert "x-functions-key" not in {k.lower() for k in fake_app.seen[-1]}
    assert caught.value.status == 401


async def test_unknown_orchestrator_404_names_it(fake_app: Any) -> None:
    async with ComparisonClient(base(fake_app)) as client:
        with pytest.raises(ClientError, match=r"\(404 Not Found\): No orchestrator named 'nope'\."):
            await client.start("nope", 5, 0)


async def test_non_json_answer_points_at_the_base_url(fake_app: Any) -> None:
    async with ComparisonClient(base(fake_app)) as client:
        with pytest.raises(ClientError, match="not JSON; is --base-url the app's address"):
            await client.run("abc")


async def test_plain_error_status_is_one_sentence(fake_app: Any) -> None:
    async with ComparisonClient(base(fake_app)) as client:
        with pytest.raises(ClientError) as caught:
            await client.reset_billing_stats()
    assert str(caught.value) == "DELETE /api/billing/stats answered HTTP 500."


async def test_missing_billing_api_is_none_not_an_error(fake_app: Any) -> None:
    async with ComparisonClient(base(fake_app)) as client:
        assert await client.billing_stats() is None


async def test_refused_connection_says_the_host_is_not_reachable(unused_tcp_port: int) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}"
    client = ComparisonClient(url)
    with pytest.raises(
        ClientError, match=rf"^Cannot reach the host at {url} \(.+\); is it running"
    ):
        await client.compare(5, 0)
    await client.close()
    await client.close()  # closing twice is safe


def test_cli_prints_one_sentence_and_exits_1_when_the_host_is_down(
    capsys: pytest.CaptureFixture[str], unused_tcp_port: int
) -> None:
    code = main(["compare", "--base-url", f"http://127.0.0.1:{unused_tcp_port}", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.startswith("error: Cannot reach the host at http://127.0.0.1:")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_cli_prints_one_sentence_and_exits_1_when_the_out_folder_cannot_be_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code = main(["demo", "--out", str(blocker / "plots"), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.startswith("error: ")
    assert err.endswith(f": {blocker / 'plots'}.\n")  # the OS's reason, then the folder
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("argv", [["compare", "--count", "0"], ["demo", "--sweep-ns", "5,x"]])
def test_cli_rejects_bad_arguments_with_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


@pytest.mark.parametrize(
    ("given", "fix"),
    [
        (
            "localhost:7071",
            "has no http:// or https:// scheme: use --base-url http://localhost:7071",
        ),
        (
            "127.0.0.1:7071",
            "has no http:// or https:// scheme: use --base-url http://127.0.0.1:7071",
        ),
        (
            "http://localhost:7071/api",
            "ends in /api, which the client adds itself: use --base-url http://localhost:7071",
        ),
        (
            "https://app.example.net/api/",
            "ends in /api, which the client adds itself: use --base-url https://app.example.net",
        ),
    ],
)
def test_cli_names_the_fix_for_a_base_url_without_scheme_or_with_api(
    given: str, fix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["compare", "--base-url", given, "--quiet"])
    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert err.splitlines()[-1].endswith(f"argument --base-url: The base URL '{given}' {fix}")
    assert "Traceback" not in err


def test_the_client_rejects_a_base_url_ending_in_api_before_any_request() -> None:
    with pytest.raises(ClientError, match=r"use --base-url http://127\.0\.0\.1:9$"):
        ComparisonClient("http://127.0.0.1:9/api")


@pytest.mark.parametrize(
    "given", ["http://localhost:7071", "http://localhost:7071/", "https://host/apps/api-v2"]
)
def test_a_root_url_is_kept_without_its_trailing_slash(given: str) -> None:
    assert ComparisonClient(given).base_url == given.rstrip("/")


@pytest.mark.parametrize("content", ["not json", '{"profile": {}}'])
def test_cli_figure_from_a_bad_results_file_is_one_sentence_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    results = tmp_path / "demo.json"
    results.write_text(content)
    code = main(["figure", str(results), str(tmp_path / "figure.png")])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.startswith(f"error: {results} is not")
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "figure.png").exists()


def test_cli_figure_from_a_missing_results_file_is_one_sentence_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["figure", str(tmp_path / "none.json"), str(tmp_path / "figure.png")])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("error: ") and err.endswith("none.json.\n")
