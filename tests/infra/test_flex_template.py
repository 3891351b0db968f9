"""Where our template follows Microsoft's Flex Consumption template
(Azure-Samples/durable-functions-quickstart-python-azd) beyond identity: the regions azd offers,
and app settings that keep what was set elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Spot checks from Microsoft's list (infra/main.bicep of the quickstart at d402727, 2025-10-10).
FLEX_REGIONS_SAMPLE = {"eastus", "eastus2", "northeurope", "westeurope", "swedencentral"}
# Offered by Azure but not by Flex Consumption at that date, or not to ordinary subscriptions.
NOT_FLEX = {"eastus2euap", "westindia", "chinaeast", "usgovvirginia"}


def _allowed(parameter: dict) -> list[str]:
    (allowed,) = [d["argument"] for d in parameter["decorators"] if d["type"] == "allowed"]
    return allowed


def test_azd_offers_only_flex_consumption_regions(bicep) -> None:
    location = bicep["main.bicep"]["parameters"]["location"]
    regions = _allowed(location)
    assert len(regions) == len(set(regions)) == 31
    assert set(regions) >= FLEX_REGIONS_SAMPLE
    assert not NOT_FLEX & set(regions)
    assert all(re.fullmatch(r"[a-z0-9]+", r) for r in regions), "azd location names"
    metadata = [d["argument"] for d in location["decorators"] if d["type"] == "metadata"]
    assert metadata == [{"azd": {"type": "location"}}]


def test_the_region_list_says_when_it_was_taken_and_the_docs_agree() -> None:
    main = (REPO / "infra" / "main.bicep").read_text(encoding="utf-8")
    comment = main.split("@allowed([", 1)[0].rsplit("\n\n", 1)[1]
    (source_date,) = re.findall(r"\b(\d{4}-\d{2}-\d{2})\)", comment)
    (taken,) = re.findall(r"taken (\d{4}-\d{2}-\d{2})", comment)
    docs = " ".join((REPO / "docs" / "deploy.md").read_text(encoding="utf-8").split())
    assert f"template of {source_date} (taken {taken}," in docs


def test_app_settings_are_merged_into_the_current_ones(bicep) -> None:
    module = bicep["app/appsettings.bicep"]
    (settings,) = [
        r["config"]
        for r in module["resources"].values()
        if r["type"] == "Microsoft.Web/sites/config" and not r["existing"]
    ]
    assert settings["name"] == "appsettings"
    merge = settings["properties"]["function"]
    # union(): later objects win, so the template's own settings override same-named ones.
    assert merge == {
        "type": "union",
        "parameters": {"arg_1": "currentAppSettings", "arg_2": "appSettings"},
    }
    for name in ("currentAppSettings", "appSettings"):  # out of the deployment history
        decorators = module["parameters"][name]["decorators"]
        assert {"type": "secure"} in decorators, name


def test_the_current_settings_are_read_from_the_site(bicep, site, appsettings_params) -> None:
    current = appsettings_params["currentAppSettings"]["operator"]["operands"]
    assert current["operand_1"]["function"] == {
        "type": "list",
        "parameters": {"arg_1": "${site.id}/config/appsettings", "arg_2": "2024-04-01"},
    }
    assert current["operand_2"] == "properties"
    # No other resource writes app settings, which would replace the merged list.
    writers = [
        (path, r["config"].get("name"))
        for path, doc in bicep.items()
        for r in doc.get("resources", {}).values()
        if r["type"] == "Microsoft.Web/sites/config"
    ]
    assert writers == [("app/appsettings.bicep", "appsettings")]
    assert "appSettings" not in site["properties"]["siteConfig"]
