"""Identity instead of keys, as Microsoft's Flex Consumption template does it
(Azure-Samples/durable-functions-quickstart-python-azd, infra/main.bicep and infra/app/*.bicep):
a user-assigned identity, created and granted its storage and monitoring roles before the site;
storage, telemetry and the package reached with it; no key in infra/ or anywhere in the repo.

Facts are read from the parsed Bicep (pycep-parser) with variables resolved, so renaming a
variable or reformatting a file changes nothing here; changing what is deployed does."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Built-in role definition ids, the same in every tenant.
STORAGE_BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
STORAGE_QUEUE_DATA_CONTRIBUTOR = "974c5e8b-45b9-4653-ba55-5f855dd0fb88"
STORAGE_TABLE_DATA_CONTRIBUTOR = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"
MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb"
STORAGE_ROLES = {
    STORAGE_BLOB_DATA_OWNER,
    STORAGE_QUEUE_DATA_CONTRIBUTOR,
    STORAGE_TABLE_DATA_CONTRIBUTOR,
}

# A storage account key is 64 random bytes in base64: 86 characters and "==".
STORAGE_KEY = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])")
# Built from parts so this file does not match itself.
ACCOUNT_KEY = re.compile("Account" + "Key=", re.IGNORECASE)
# SHA-256 of Azurite's published development key, which is public by design and not a secret.
AZURITE_DEV_KEY_SHA256 = "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059"


def _roles_of(grants: list[dict], principal: str) -> dict[str, set[str]]:
    """scope -> role ids granted to a principal parameter of rbac.bicep."""
    by_scope: dict[str, set[str]] = {}
    for grant in grants:
        if grant["principal"] == principal:
            by_scope.setdefault(grant["scope"], set()).add(grant["role"])
    return by_scope


def _module_param(doc: dict, module: str, param: str) -> object:
    return doc["modules"][module]["config"]["params"][param]


def _accessor(value: object) -> tuple[str, ...]:
    """`identity.outputs.principalId` as ('identity', 'outputs', 'principalId')."""
    if isinstance(value, dict) and value.get("operator", {}).get("type") == "property_accessor":
        operands = value["operator"]["operands"]
        return (*_accessor(operands["operand_1"]), *_accessor(operands["operand_2"]))
    return (str(value),)


def _identity_module(main: dict) -> str:
    (name,) = [
        n
        for n, m in main["modules"].items()
        if m["detail"]["path"] == "core/identity/user-assigned-identity.bicep"
    ]
    return name


def test_the_app_identity_gets_the_three_storage_roles_and_telemetry(grants) -> None:
    app = _roles_of(grants, "appPrincipalId")
    assert app == {"storage": STORAGE_ROLES, "applicationInsights": {MONITORING_METRICS_PUBLISHER}}
    assert {g["principalType"] for g in grants if g["principal"] == "appPrincipalId"} == {
        "ServicePrincipal"
    }


def test_grants_are_read_through_variables_loops_and_conditions(grants_in) -> None:
    """The reader behind `grants`, on Bicep written for it: a loop over a variable that holds
    `roles.x` references, a conditional list, and one plain assignment."""
    text = """
param app string
param dev string = ''
var roles = { blob: '1111', queue: '2222', pub: '3333' }
var storageRoles = [roles.blob, roles.queue]
var devRoles = empty(dev) ? [] : storageRoles
resource st 'Microsoft.Storage/storageAccounts@2023-05-01' existing = { name: 'st' }
resource appRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for r in storageRoles: {
  name: guid(st.id, app, r)
  scope: st
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', r)
    principalId: app
    principalType: 'ServicePrincipal'
  }
}]
resource devGrants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for x in devRoles: {
  name: guid(st.id, dev, x)
  scope: st
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', x)
    principalId: dev
    principalType: 'User'
  }
}]
resource metrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(st.id, app, roles.pub)
  scope: st
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.pub)
    principalId: app
    principalType: 'ServicePrincipal'
  }
}
"""
    found = {(g["principal"], g["role"], g["principalType"]) for g in grants_in(text)}
    assert found == {
        ("app", "1111", "ServicePrincipal"),
        ("app", "2222", "ServicePrincipal"),
        ("app", "3333", "ServicePrincipal"),
        ("dev", "1111", "User"),
        ("dev", "2222", "User"),
    }


def test_the_developer_gets_the_storage_roles_only(grants) -> None:
    assert _roles_of(grants, "userPrincipalId") == {"storage": STORAGE_ROLES}


def test_the_identity_module_creates_a_user_assigned_identity(bicep) -> None:
    resources = bicep["core/identity/user-assigned-identity.bicep"]["resources"]
    assert [r["type"] for r in resources.values()] == [
        "Microsoft.ManagedIdentity/userAssignedIdentities"
    ]


def test_the_roles_go_to_that_identity_before_the_site_exists(bicep) -> None:
    main = bicep["main.bicep"]
    identity = _identity_module(main)
    assert _accessor(_module_param(main, "rbac", "appPrincipalId")) == (
        identity,
        "outputs",
        "principalId",
    )
    assert main["modules"]["api"]["config"]["dependsOn"] == ["rbac"]
    assert _accessor(_module_param(main, "api", "identityId")) == (identity, "outputs", "id")
    assert _accessor(_module_param(main, "api", "identityClientId")) == (
        identity,
        "outputs",
        "clientId",
    )


def test_the_site_runs_as_the_user_assigned_identity_only(site) -> None:
    identity = site["identity"]
    assert identity["type"] == "UserAssigned"
    # A quoted key: pycep keeps its quotes.
    assert [k.strip("'") for k in identity["userAssignedIdentities"]] == ["${identityId}"]
    auth = site["properties"]["functionAppConfig"]["deployment"]["storage"]
    assert auth["authentication"] == {
        "type": "UserAssignedIdentity",
        "userAssignedIdentityResourceId": "identityId",
    }


def test_storage_and_telemetry_are_reached_with_that_identity(infra_app_settings) -> None:
    assert infra_app_settings["AzureWebJobsStorage__credential"] == "managedidentity"
    assert infra_app_settings["AzureWebJobsStorage__clientId"] == "identityClientId"
    for service in ("blob", "queue", "table"):  # Durable Functions needs all three
        uri = infra_app_settings[f"AzureWebJobsStorage__{service}ServiceUri"]
        assert _accessor(uri) == ("storage", "properties", "primaryEndpoints", service)
    assert infra_app_settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] == (
        "ClientId=${identityClientId};Authorization=AAD"
    )
    assert "AzureWebJobsStorage" not in infra_app_settings  # the connection-string form


def test_telemetry_accepts_only_entra_identities(bicep) -> None:
    monitoring = bicep["core/monitor/monitoring.bicep"]["resources"]
    (insights,) = [r for r in monitoring.values() if r["type"] == "Microsoft.Insights/components"]
    assert insights["config"]["properties"]["DisableLocalAuth"] is True


def test_storage_account_is_locked_down(bicep) -> None:
    resources = bicep["core/storage/storage-account.bicep"]["resources"]
    (account,) = [r for r in resources.values() if r["type"] == "Microsoft.Storage/storageAccounts"]
    props = account["config"]["properties"]
    assert props["allowSharedKeyAccess"] is False
    assert props["allowBlobPublicAccess"] is False
    assert props["minimumTlsVersion"] == "TLS1_2"
    assert props["supportsHttpsTrafficOnly"] is True


def test_the_site_is_https_only_tls_12_with_basic_publishing_off(bicep, site) -> None:
    api = bicep["app/api.bicep"]["resources"]
    assert site["properties"]["httpsOnly"] is True
    assert site["properties"]["siteConfig"]["minTlsVersion"] == "1.2"
    policies = [
        r["config"]
        for r in api.values()
        if r["type"] == "Microsoft.Web/sites/basicPublishingCredentialsPolicies"
    ]
    assert sorted(p["name"] for p in policies) == ["ftp", "scm"]
    assert all(p["properties"] == {"allow": False} for p in policies)


def test_the_plan_is_flex_consumption_linux_python_312(bicep, site) -> None:
    api = bicep["app/api.bicep"]
    (plan,) = [r for r in api["resources"].values() if r["type"] == "Microsoft.Web/serverfarms"]
    assert plan["config"]["sku"] == {"name": "FC1", "tier": "FlexConsumption"}
    assert site["kind"] == "functionapp,linux"
    runtime = site["properties"]["functionAppConfig"]["runtime"]
    assert runtime == {"name": "python", "version": "pythonVersion"}
    assert api["parameters"]["pythonVersion"]["default"] == "3.12"


def _infra_texts() -> dict[str, str]:
    return {
        p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted((REPO / "infra").rglob("*"))
        if p.suffix in {".bicep", ".json"}
    }


def test_infra_contains_no_keys_or_connection_strings() -> None:
    forbidden = [ACCOUNT_KEY, re.compile(r"listKeys|listAccountSas|listServiceSas"), STORAGE_KEY]
    forbidden += [re.compile(r"DefaultEndpointsProtocol|SharedAccessSignature|StorageAccountKey")]
    forbidden += [re.compile(r"StorageAccountConnectionString")]
    texts = _infra_texts()
    assert "infra/app/api.bicep" in texts
    for name, text in texts.items():
        for pattern in forbidden:
            assert not pattern.search(text), f"{name} matches {pattern.pattern}"


def test_the_only_list_call_reads_app_settings(bicep) -> None:
    """list*() can return secrets; the one we use reads the site's app settings to merge them."""
    call = r'"type": "(list\w*)", "parameters": \{"arg_1": "([^"]*)"'
    calls = re.findall(call, json.dumps(bicep))
    assert calls == [("list", "${site.id}/config/appsettings")]


def _repo_files() -> list[Path]:
    """What git tracks, plus what it would track (untracked and not ignored)."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    return [REPO / name for name in out.decode().split("\0") if name]


def test_no_file_in_the_repository_holds_a_storage_key() -> None:
    files = _repo_files()
    assert any(f.name == "main.bicep" for f in files), "git ls-files saw no infra: wrong root?"
    offenders = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary files (plots) and deletions
        keys = [k for k in STORAGE_KEY.findall(text) if _sha256(k) != AZURITE_DEV_KEY_SHA256]
        if keys or ACCOUNT_KEY.search(text):
            offenders.append(path.relative_to(REPO).as_posix())
    assert not offenders, f"storage key pattern in: {offenders}"


def test_the_key_patterns_catch_a_key() -> None:
    fake = "A" * 40 + "b/+9" * 11 + "xy=="
    assert len(fake) == 88
    assert STORAGE_KEY.search(f"key: {fake}\n")
    assert ACCOUNT_KEY.search("DefaultEndpointsProtocol=https;AccountName=x;" + "Account" + "Key=z")
    assert not STORAGE_KEY.search("A" * 87 + "=")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
