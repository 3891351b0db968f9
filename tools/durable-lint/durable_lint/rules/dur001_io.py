"""DUR001: network or storage I/O in orchestrator code.

A raw call is not recorded in history, so every replay makes it again: N(N+1)/2 calls for a loop
of N awaited tasks. Constructing a client counts: nothing else is done with one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from durable_lint.findings import Finding
from durable_lint.rules._calls import Patterns, banned_calls

if TYPE_CHECKING:
    from durable_lint.orchestrators import CodeUnit

CODE = "DUR001"

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")

PATTERNS = Patterns(
    *(f"requests.{verb}" for verb in _HTTP_VERBS),
    "requests.Session",
    "requests.session",
    *(f"httpx.{verb}" for verb in _HTTP_VERBS),
    "httpx.Client",
    "httpx.AsyncClient",
    "urllib.request.urlopen",
    "urllib.request.urlretrieve",
    "urllib.request.build_opener",
    "urllib3.request",
    "urllib3.PoolManager",
    "urllib3.ProxyManager",
    "urllib3.HTTPConnectionPool",
    "urllib3.HTTPSConnectionPool",
    "urllib3.connection_from_url",
    "http.client.HTTPConnection",
    "http.client.HTTPSConnection",
    "aiohttp.ClientSession",
    "aiohttp.request",
    "socket.socket",
    "socket.create_connection",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "ftplib.FTP",
    "smtplib.SMTP",
    "smtplib.SMTP_SSL",
    "sqlite3.connect",
    "boto3.client",
    "boto3.resource",
    "pymongo.MongoClient",
    "redis.Redis",
    "psycopg.connect",
    "psycopg2.connect",
    "pyodbc.connect",
    # Azure SDK data-plane clients (any constructor or factory of these packages).
    "azure.storage.*",
    "azure.cosmos.*",
    "azure.data.tables.*",
    "azure.servicebus.*",
    "azure.eventhub.*",
    "azure.keyvault.*",
    "azure.search.documents.*",
)


def check(unit: CodeUnit) -> Iterator[Finding]:
    """Calls that reach the network or storage."""
    return banned_calls(unit, CODE, PATTERNS, module_objects=True)
