"""App settings: what the code reads, what infra/ sets and what local.settings.json.example sets
name the same things, and Flex Consumption gets none of the settings it rejects."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# The settings the contract says the app reads (team brief, "App settings").
CONTRACT_READS = {"INVOICE_API_URL", "MAX_INVOICE_COUNT", "FAKE_BILLING_API_ENABLED"}
CONTRACT_READS |= {"FAKE_BILLING_LATENCY_MS", "INVOICE_API_MAX_ATTEMPTS"}
CONTRACT_READS |= {"INVOICE_API_RETRY_INTERVAL_MS"}

# Local settings that Azure gets in another form, each with the reason.
LOCAL_ONLY = {
    # Flex Consumption takes the runtime from functionAppConfig.runtime.name, not an app setting.
    "FUNCTIONS_WORKER_RUNTIME": "functionAppConfig.runtime",
    # Azure reaches storage by identity: AzureWebJobsStorage__accountName + __credential.
    "AzureWebJobsStorage": "AzureWebJobsStorage__accountName",
    # Flex Consumption lists FUNCTIONS_WORKER_PROCESS_COUNT as "Setting not valid".
    "FUNCTIONS_WORKER_PROCESS_COUNT": "not valid on Flex Consumption",
    # Older Core Tools need it for the v2 model; the 4.x host in Azure indexes workers by default.
    "AzureWebJobsFeatureFlags": "default in Azure",
}
# Azure-only settings: identity-based storage, telemetry, and the replay-trace switch.
AZURE_ONLY_PREFIXES = ("AzureWebJobsStorage__", "APPLICATIONINSIGHTS_", "AzureFunctionsJobHost__")

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
FLEX_REJECTED_SITE_PROPERTIES = ("ftpsState", "linuxFxVersion", "alwaysOn", "use32BitWorkerProcess")


@pytest.fixture(scope="module")
def example_values() -> dict[str, str]:
    data = json.loads((REPO / "local.settings.json.example").read_text(encoding="utf-8"))
    return data["Values"]


def test_the_scanner_finds_exactly_the_contract_settings(code_env_reads: dict[str, str]) -> None:
    assert set(code_env_reads) == CONTRACT_READS


def test_a_read_without_a_default_stays_required_whatever_the_order(env_reader, tmp_path) -> None:
    source = tmp_path / "settings.py"
    source.write_text(
        "import os\n"
        "def _get(name):\n    return os.environ.get(name, '')\n"
        "URL = os.environ['API_URL']\nAGAIN = _get('API_URL')\nOTHER = _get('OTHER')\n",
        encoding="utf-8",
    )
    assert env_reader([source]) == {"API_URL": "required", "OTHER": "default"}


def test_every_setting_the_code_reads_is_set_in_infra_or_has_a_default(
    code_env_reads: dict[str, str], infra_app_settings: dict[str, str]
) -> None:
    missing = {
        name
        for name, kind in code_env_reads.items()
        if name not in infra_app_settings and kind == "required"
    }
    assert not missing, f"read without a default and not set in infra/: {sorted(missing)}"


def test_every_contract_setting_is_set_in_infra(infra_app_settings: dict[str, str]) -> None:
    assert CONTRACT_READS | {"TASK_HUB_NAME", "PYTHON_THREADPOOL_THREAD_COUNT"} <= set(
        infra_app_settings
    )


def test_example_settings_are_in_infra_or_have_a_documented_azure_form(
    example_values: dict[str, str], infra_app_settings: dict[str, str]
) -> None:
    unexplained = set(example_values) - set(infra_app_settings) - set(LOCAL_ONLY)
    assert not unexplained, f"in local.settings.json.example only: {sorted(unexplained)}"


def test_infra_settings_are_in_the_example_unless_azure_only(
    example_values: dict[str, str], infra_app_settings: dict[str, str]
) -> None:
    azure_only = {n for n in infra_app_settings if n.startswith(AZURE_ONLY_PREFIXES)}
    unexplained = set(infra_app_settings) - set(example_values) - azure_only
    assert not unexplained, f"in infra/ only: {sorted(unexplained)}"


def test_local_only_settings_have_their_azure_form(
    bicep_files: dict[str, str], infra_app_settings: dict[str, str]
) -> None:
    api = bicep_files["app/api.bicep"]
    assert re.search(r"runtime:\s*\{\s*name:\s*'python'", api)
    assert "AzureWebJobsStorage__accountName" in infra_app_settings
    assert "AzureWebJobsStorage__credential" in infra_app_settings


def test_infra_sets_nothing_flex_consumption_rejects(
    bicep_files: dict[str, str], infra_app_settings: dict[str, str]
) -> None:
    assert not FLEX_REJECTED_SETTINGS & set(infra_app_settings)
    for prop in FLEX_REJECTED_SITE_PROPERTIES:
        offenders = [f for f, text in bicep_files.items() if re.search(rf"\b{prop}\s*:", text)]
        assert not offenders, f"{prop} is not valid on Flex Consumption: {offenders}"


def test_host_json_setting_references_are_set_locally_and_in_azure(
    example_values: dict[str, str], infra_app_settings: dict[str, str]
) -> None:
    host_text = (REPO / "host.json").read_text(encoding="utf-8")
    referenced = set(re.findall(r"%([A-Za-z_][A-Za-z0-9_]*)%", host_text))
    assert "TASK_HUB_NAME" in referenced
    assert referenced <= set(example_values)
    assert referenced <= set(infra_app_settings)


def test_each_app_setting_is_an_azd_environment_variable_of_the_same_name(
    code_env_reads: dict[str, str],
) -> None:
    """So `azd env set MAX_INVOICE_COUNT 200` (docs/deploy.md) reaches the app."""
    params = (REPO / "infra" / "main.parameters.json").read_text(encoding="utf-8")
    env_vars = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)(?:=[^}]*)?\}", params))
    assert set(code_env_reads) | {"TASK_HUB_NAME", "PYTHON_THREADPOOL_THREAD_COUNT"} <= env_vars


def test_infra_parameters_are_declared_in_main_bicep(bicep_files: dict[str, str]) -> None:
    params = json.loads((REPO / "infra" / "main.parameters.json").read_text(encoding="utf-8"))
    declared = set(re.findall(r"^param (\w+) ", bicep_files["main.bicep"], re.M))
    assert set(params["parameters"]) <= declared


def test_fake_billing_is_off_by_default_in_azure(bicep_files: dict[str, str]) -> None:
    for name in ("main.bicep", "app/api.bicep"):
        assert re.search(r"^param fakeBillingApiEnabled bool = false$", bicep_files[name], re.M)
    params = (REPO / "infra" / "main.parameters.json").read_text(encoding="utf-8")
    assert "${FAKE_BILLING_API_ENABLED=false}" in params


def test_invoice_api_url_defaults_to_the_apps_own_billing_route_when_the_fake_is_on(
    bicep_files: dict[str, str], infra_app_settings: dict[str, str]
) -> None:
    api = bicep_files["app/api.bicep"]
    self_url = re.search(r"^var selfBillingUrl = '(.+)'$", api, re.M)
    assert self_url and self_url.group(1) == (
        "https://${site.properties.defaultHostName}/api/billing/invoices"
    )
    assert re.search(r"fakeBillingApiEnabled \? selfBillingUrl : ''", api)
    assert re.search(r"empty\(invoiceApiUrl\) \? defaultInvoiceApiUrl : invoiceApiUrl", api)
    assert infra_app_settings["INVOICE_API_URL"] == "effectiveInvoiceApiUrl"
