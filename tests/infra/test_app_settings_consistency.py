"""App settings: what the code reads (app_settings.py, the one home of settings), what infra/
sets, what local.settings.json.example sets and what azd passes on all name the same things,
and Flex Consumption gets none of the settings it rejects.

Nothing here lists the app's settings by hand: they come from calling app_settings.py, so a
setting added there is checked everywhere else without editing this file."""

from __future__ import annotations

import ast
import json
import re
import types
from pathlib import Path

import pytest

import app_settings
from app_settings import (
    FAKE_BILLING_API_ENABLED,
    FAKE_BILLING_LATENCY_MS,
    INVOICE_API_URL,
    MAX_INVOICE_COUNT,
)

REPO = Path(__file__).resolve().parents[2]
PARAMETERS = REPO / "infra" / "main.parameters.json"

# Local settings that Azure gets in another form, each with the reason.
LOCAL_ONLY = {
    # Flex Consumption takes the runtime from functionAppConfig.runtime.name, not an app setting.
    "FUNCTIONS_WORKER_RUNTIME": "functionAppConfig.runtime",
    # Azure reaches storage by identity: AzureWebJobsStorage__credential + __clientId + URIs.
    "AzureWebJobsStorage": "AzureWebJobsStorage__*",
    # Flex Consumption lists FUNCTIONS_WORKER_PROCESS_COUNT as "Setting not valid".
    "FUNCTIONS_WORKER_PROCESS_COUNT": "not valid on Flex Consumption",
    # Older Core Tools need it for the v2 model; the 4.x host in Azure indexes workers by default.
    "AzureWebJobsFeatureFlags": "default in Azure",
}
# Azure-only settings: identity-based storage, telemetry, and host.json overrides.
AZURE_ONLY_PREFIXES = ("AzureWebJobsStorage__", "APPLICATIONINSIGHTS_", "AzureFunctionsJobHost__")
# Settings the host reads, not app code, that the example and infra both set.
HOST_SETTINGS = {"TASK_HUB_NAME", "PYTHON_THREADPOOL_THREAD_COUNT"}

# "Flex Consumption plan deprecations" (Functions app settings reference): never set these there.
FLEX_REJECTED_SETTINGS = {
    "FUNCTIONS_EXTENSION_VERSION",
    "FUNCTIONS_WORKER_RUNTIME",
    "FUNCTIONS_WORKER_RUNTIME_VERSION",
    "FUNCTIONS_WORKER_PROCESS_COUNT",
    "FUNCTIONS_MAX_HTTP_CONCURRENCY",
    "SCM_DO_BUILD_DURING_DEPLOYMENT",
    "ENABLE_ORYX_BUILD",
    "WEBSITE_RUN_FROM_PACKAGE",
    "WEBSITE_CONTENTSHARE",
    "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
    "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
    "WEBSITE_NODE_DEFAULT_VERSION",
}
FLEX_REJECTED_SITE_PROPERTIES = {"ftpsState", "linuxFxVersion", "alwaysOn", "use32BitWorkerProcess"}


@pytest.fixture(scope="module")
def example_values(local_settings: dict) -> dict[str, str]:
    return local_settings["Values"]


def test_the_reader_finds_the_settings_and_which_have_defaults(read_settings) -> None:
    """The recorder behind code_settings, on a module made for it: public functions only."""
    module = types.ModuleType("fake_settings")
    source = (
        "import os\n"
        "def url():\n    return os.environ.get('API_URL', 'x')\n"
        "def token():\n    return os.environ['TOKEN']\n"
        "def both():\n    return os.getenv('API_URL') if 'MODE' in os.environ else ''\n"
        "def _private():\n    return os.environ['HIDDEN']\n"
        "def scaled(factor):\n    return os.environ['NEEDS_AN_ARGUMENT']\n"
    )
    exec(compile(source, "fake_settings.py", "exec"), module.__dict__)
    assert read_settings(module) == {"API_URL": "default", "TOKEN": "required", "MODE": "default"}


def test_app_settings_reads_the_documented_settings(code_settings: dict[str, str]) -> None:
    """At least the four docs/configuration.md's table names; more may come."""
    documented = {INVOICE_API_URL, MAX_INVOICE_COUNT, FAKE_BILLING_API_ENABLED}
    assert documented | {FAKE_BILLING_LATENCY_MS} <= set(code_settings)


def test_no_other_deployed_module_reads_the_environment(deployed_py_files: list[Path]) -> None:
    """app_settings.py is the one home of settings, so the checks below see every setting."""
    readers = []
    for path in deployed_py_files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        if names & {"environ", "getenv", "environb", "getenvb"}:
            readers.append(path.relative_to(REPO).as_posix())
    assert readers == [Path(app_settings.__file__).name]


def test_every_setting_the_code_reads_is_set_in_infra(
    code_settings: dict[str, str], infra_app_settings: dict
) -> None:
    missing = set(code_settings) - set(infra_app_settings)
    assert not missing, f"read by app_settings.py, not set in infra/app/: {sorted(missing)}"


def test_every_setting_the_code_reads_is_in_the_example(
    code_settings: dict[str, str], example_values: dict[str, str]
) -> None:
    missing = set(code_settings) - set(example_values)
    assert not missing, f"read by app_settings.py, missing in the example: {sorted(missing)}"


def test_each_app_setting_is_an_azd_environment_variable_of_the_same_name(
    code_settings: dict[str, str], azd_variables: set[str]
) -> None:
    """So `azd env set MAX_INVOICE_COUNT 200` (docs/deploy.md) reaches the app."""
    missing = (set(code_settings) | HOST_SETTINGS) - azd_variables
    assert not missing, f"no ${{NAME}} in infra/main.parameters.json for: {sorted(missing)}"


def test_example_settings_are_in_infra_or_have_a_documented_azure_form(
    example_values: dict[str, str], infra_app_settings: dict
) -> None:
    unexplained = set(example_values) - set(infra_app_settings) - set(LOCAL_ONLY)
    assert not unexplained, f"in local.settings.json.example only: {sorted(unexplained)}"


def test_infra_settings_are_in_the_example_unless_azure_only(
    example_values: dict[str, str], infra_app_settings: dict
) -> None:
    azure_only = {n for n in infra_app_settings if n.startswith(AZURE_ONLY_PREFIXES)}
    unexplained = set(infra_app_settings) - set(example_values) - azure_only
    assert not unexplained, f"in infra/ only: {sorted(unexplained)}"


def test_infra_sets_nothing_flex_consumption_rejects(site, infra_app_settings) -> None:
    assert not FLEX_REJECTED_SETTINGS & set(infra_app_settings)
    site_config = site["properties"]["siteConfig"]
    assert not FLEX_REJECTED_SITE_PROPERTIES & set(site_config)


def test_host_json_setting_references_are_set_locally_and_in_azure(
    example_values: dict[str, str], infra_app_settings: dict
) -> None:
    host_text = (REPO / "host.json").read_text(encoding="utf-8")
    referenced = set(re.findall(r"%([A-Za-z_][A-Za-z0-9_]*)%", host_text))
    assert "TASK_HUB_NAME" in referenced
    assert referenced <= set(example_values)
    assert referenced <= set(infra_app_settings)


def test_infra_parameters_are_declared_in_main_bicep(bicep) -> None:
    params = json.loads(PARAMETERS.read_text(encoding="utf-8"))
    assert set(params["parameters"]) <= set(bicep["main.bicep"]["parameters"])


def test_fake_billing_is_off_by_default_in_azure(bicep) -> None:
    for name in ("main.bicep", "app/api.bicep"):
        assert bicep[name]["parameters"]["fakeBillingApiEnabled"]["default"] is False
    params = json.loads(PARAMETERS.read_text(encoding="utf-8"))["parameters"]
    assert params["fakeBillingApiEnabled"]["value"] == "${FAKE_BILLING_API_ENABLED=false}"


def test_invoice_api_url_defaults_to_the_apps_own_billing_route_when_the_fake_is_on(
    infra_app_settings,
) -> None:
    """INVOICE_API_URL: the given URL, else the app's own stand-in when it is on, else empty."""
    url = infra_app_settings[INVOICE_API_URL]["operator"]
    assert url["type"] == "conditional"
    given = url["operands"]
    empty = {"function": {"type": "empty", "parameters": {"item_to_test": "invoiceApiUrl"}}}
    assert given["condition"] == empty
    assert given["false_value"] == "invoiceApiUrl"
    fallback = given["true_value"]["operator"]["operands"]
    assert fallback["condition"] == "fakeBillingApiEnabled"
    assert (
        fallback["true_value"] == "https://${site.properties.defaultHostName}/api/billing/invoices"
    )
    assert fallback["false_value"] == ""
