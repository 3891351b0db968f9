"""App settings and host.json are read as `func start` reads them."""

import json
import os

from devhost.http.local_settings import (
    follow_own_port,
    patched_environ,
    read_local_settings,
    route_prefix,
    task_hub_name,
)


def test_local_settings_json_wins_over_the_example(tmp_path):
    (tmp_path / "local.settings.json.example").write_text(json.dumps({"Values": {"A": "example"}}))
    assert read_local_settings(tmp_path).values == {"A": "example"}
    (tmp_path / "local.settings.json").write_text(
        json.dumps({"Values": {"A": "local", "N": 5}, "Host": {"LocalHttpPort": 7080}})
    )
    found = read_local_settings(tmp_path)
    assert (found.path.name, found.values, found.local_http_port) == (
        "local.settings.json",
        {"A": "local", "N": "5"},
        7080,
    )


def test_no_settings_file_is_not_an_error(tmp_path):
    assert read_local_settings(tmp_path).path is None


def test_settings_never_override_the_environment_and_are_restored():
    env = {"SET_BEFORE": "shell"}
    with patched_environ(
        defaults={"SET_BEFORE": "file", "NEW": "file"}, overrides={"FORCED": "x"}, environ=env
    ):
        assert env == {"SET_BEFORE": "shell", "NEW": "file", "FORCED": "x"}
    assert env == {"SET_BEFORE": "shell"}


def test_a_setting_that_names_the_host_follows_the_port_it_serves_on():
    """The settings file says http://localhost:7071/... for the host itself; on another port
    (tests bind port 0) that URL must follow the host. Other values, and other hosts, stay."""
    values = {
        "OWN": "http://localhost:7071/api/billing/invoices",
        "LOOPBACK": "http://127.0.0.1:7071/x",
        "OTHER_PORT": "http://localhost:7072/x",
        "ELSEWHERE": "https://billing.example.com/api",
        "PLAIN": "7071",
    }
    moved = follow_own_port(values, "http://127.0.0.1:8123", None)
    assert moved == {
        **values,
        "OWN": "http://127.0.0.1:8123/api/billing/invoices",
        "LOOPBACK": "http://127.0.0.1:8123/x",
    }
    # LocalHttpPort in the file moves the "own" port.
    assert (
        follow_own_port(values, "http://127.0.0.1:1", 7072)["OTHER_PORT"] == "http://127.0.0.1:1/x"
    )


def test_host_json_route_prefix_and_task_hub():
    assert route_prefix({}) == "api"
    assert route_prefix({"extensions": {"http": {"routePrefix": ""}}}) == ""
    host_json = {"extensions": {"durableTask": {"hubName": "%HUB%"}}}
    assert task_hub_name(host_json, {"HUB": "MyHub"}) == "MyHub"
    assert task_hub_name(host_json, {}) == "TestHubName"
    assert task_hub_name({}, os.environ) == "TestHubName"


async def test_route_prefix_and_hub_name_come_from_the_apps_host_json(host_factory, apps_dir, http):
    host = await host_factory(
        "prefixed_app", app_dir=apps_dir / "prefixed", env={"PREFIXED_HUB": "PrefixedHub"}
    )
    async with http.get(host.url("api/hello/x")) as response:
        assert response.status == 404
    async with http.get(host.url("v1/hello/x")) as response:
        assert response.status == 200
        link = await response.text()
    assert link == (
        f"{host.base_url}/runtime/webhooks/durabletask/instances/some-id"
        "?taskHub=PrefixedHub&connection=Storage&code=devhost-local-key-not-checked"
    )
    assert host.function_urls() == [("hello", "GET", f"{host.base_url}/v1/hello/{{name}}")]


async def test_app_settings_are_set_for_the_hosts_lifetime_only(apps_dir):
    assert "PREFIXED_HUB" not in os.environ
    from devhost.testing import running_host

    async with running_host(
        "prefixed_app", app_dir=apps_dir / "prefixed", env={"PREFIXED_HUB": "H"}
    ):
        assert os.environ["PREFIXED_HUB"] == "H"
    assert "PREFIXED_HUB" not in os.environ
