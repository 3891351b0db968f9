"""Identity instead of keys: the app's identity holds the three storage roles, storage and
telemetry are reached by identity, infra/ holds no key, and no file in the repo holds one."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Built-in role definition ids, the same in every tenant.
STORAGE_BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
STORAGE_QUEUE_DATA_CONTRIBUTOR = "974c5e8b-45b9-4653-ba55-5f855dd0fb88"
STORAGE_TABLE_DATA_CONTRIBUTOR = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"
MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb"

# A storage account key is 64 random bytes in base64: 86 characters and "==".
STORAGE_KEY = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])")
# Built from parts so this file does not match itself.
ACCOUNT_KEY = re.compile("Account" + "Key=", re.IGNORECASE)
# SHA-256 of Azurite's published development key, which is public by design and not a secret.
AZURITE_DEV_KEY_SHA256 = "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059"


def _rbac(bicep_files: dict[str, str]) -> str:
    return bicep_files["app/rbac.bicep"]


def test_the_app_identity_gets_the_three_storage_roles_by_guid(bicep_files) -> None:
    rbac = _rbac(bicep_files)
    storage_roles = re.search(r"var storageRoles = \[(.*?)\]", rbac, re.S)
    assert storage_roles, "rbac.bicep has no storageRoles list"
    listed = re.findall(r"roles\.(\w+)", storage_roles.group(1))
    assert listed == [
        "storageBlobDataOwner",
        "storageQueueDataContributor",
        "storageTableDataContributor",
    ]
    assert f"storageBlobDataOwner: '{STORAGE_BLOB_DATA_OWNER}'" in rbac
    assert f"storageQueueDataContributor: '{STORAGE_QUEUE_DATA_CONTRIBUTOR}'" in rbac
    assert f"storageTableDataContributor: '{STORAGE_TABLE_DATA_CONTRIBUTOR}'" in rbac
    loop = re.search(r"resource appStorageRoles '[^']+' = \[\s*for roleId in storageRoles:", rbac)
    assert loop, "the app identity's storage roles must loop over all three"
    assert "principalId: appPrincipalId" in rbac


def test_the_app_identity_may_publish_telemetry(bicep_files) -> None:
    rbac = _rbac(bicep_files)
    assert f"monitoringMetricsPublisher: '{MONITORING_METRICS_PUBLISHER}'" in rbac
    assert "scope: applicationInsights" in rbac


def test_the_rbac_module_gets_the_sites_system_assigned_identity(bicep_files) -> None:
    assert re.search(r"identity: \{\s*type: 'SystemAssigned'\s*\}", bicep_files["app/api.bicep"])
    assert "output principalId string = site.identity.principalId" in bicep_files["app/api.bicep"]
    assert "appPrincipalId: api.outputs.principalId" in bicep_files["main.bicep"]


def test_storage_is_reached_by_identity(infra_app_settings: dict[str, str]) -> None:
    assert infra_app_settings["AzureWebJobsStorage__accountName"] == "storage.name"
    assert infra_app_settings["AzureWebJobsStorage__credential"] == "'managedidentity'"
    assert "AzureWebJobsStorage" not in infra_app_settings  # the connection-string form


def test_telemetry_is_sent_with_the_identity(bicep_files, infra_app_settings) -> None:
    assert infra_app_settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] == "'Authorization=AAD'"
    assert "DisableLocalAuth: true" in bicep_files["core/monitor/monitoring.bicep"]


def test_deployment_package_is_read_with_the_identity(bicep_files) -> None:
    api = bicep_files["app/api.bicep"]
    assert re.search(r"type: 'blobContainer'", api)
    assert re.search(r"authentication: \{\s*type: 'SystemAssignedIdentity'\s*\}", api)


def test_infra_contains_no_keys_or_connection_strings(bicep_files) -> None:
    texts = dict(bicep_files)
    for path in (REPO / "infra").rglob("*.json"):
        texts[path.name] = path.read_text(encoding="utf-8")
    forbidden = [ACCOUNT_KEY, re.compile(r"listKeys|listAccountSas|listServiceSas")]
    forbidden += [re.compile(r"DefaultEndpointsProtocol|SharedAccessSignature|StorageAccountKey")]
    forbidden += [re.compile(r"StorageAccountConnectionString"), STORAGE_KEY]
    for name, text in texts.items():
        for pattern in forbidden:
            assert not pattern.search(text), f"{name} matches {pattern.pattern}"


def test_storage_account_is_locked_down(bicep_files) -> None:
    storage = bicep_files["core/storage/storage-account.bicep"]
    for setting in (
        "allowSharedKeyAccess: false",
        "allowBlobPublicAccess: false",
        "minimumTlsVersion: 'TLS1_2'",
        "supportsHttpsTrafficOnly: true",
    ):
        assert setting in storage


def test_the_site_is_https_only_with_basic_publishing_off(bicep_files) -> None:
    api = bicep_files["app/api.bicep"]
    assert "httpsOnly: true" in api
    policies = re.findall(
        r"basicPublishingCredentialsPolicies@[^']+' = \{\s*parent: site\s*name: '(\w+)'"
        r"\s*properties: \{\s*allow: false",
        api,
    )
    assert sorted(policies) == ["ftp", "scm"]


def test_the_plan_is_flex_consumption_linux_python_311(bicep_files) -> None:
    api = bicep_files["app/api.bicep"]
    assert re.search(r"sku: \{\s*name: 'FC1'\s*tier: 'FlexConsumption'\s*\}", api)
    assert "kind: 'functionapp,linux'" in api
    assert re.search(r"^param pythonVersion string = '3\.11'$", api, re.M)


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
