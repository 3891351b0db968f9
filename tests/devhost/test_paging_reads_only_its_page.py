"""A page of the instance list reads about as many stored rows as it shows.

The extension pages with `top` and a continuation token (`HttpApiHandler`
.HandleGetStatusRequestAsync → `GetStatusAsync(OrchestrationStatusQueryCondition)`), and
DurableTask.AzureStorage asks the Instances table for one page (`TableQuery.Take(top)` from the
continuation's partition key): it never loads every stored instance to show a hundred.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from devhost.replay import history as h
from devhost.replay.instance import InstanceRecord, Message
from devhost.runtime.sqlite_store import SqliteStore

API = "runtime/webhooks/durabletask"
T0 = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
STORED = 2_000


class CountingStore(SqliteStore):
    """The SQLite store, counting the records its list reads hand out."""

    handed_out = 0

    def records(self, start: str = "") -> Iterator[InstanceRecord]:
        for record in super().records(start):
            CountingStore.handed_out += 1
            yield record


@pytest.fixture
def store(tmp_path) -> CountingStore:
    made = CountingStore(tmp_path / "state")
    for n in range(STORED):
        record = InstanceRecord(f"done-{n:05d}", "hello", "e1", T0, T0, status=h.COMPLETED)
        started = h.execution_started(h.net_timestamp(T0), record.id, "e1", "hello", None)
        made.create(record, Message(started, "e1"))
    CountingStore.handed_out = 0
    return made


async def test_a_page_reads_one_page_of_rows_and_its_token_the_next(
    host_factory, apps_dir, http, store
):
    host = await host_factory("http_fixture_app", app_dir=apps_dir, store=store)
    url = host.url(f"{API}/instances/?top=10")
    async with http.get(url) as response:
        first = [row["instanceId"] for row in await response.json()]
        token = response.headers["x-ms-continuation-token"]
    assert first == [f"done-{n:05d}" for n in range(10)]
    assert CountingStore.handed_out == 11  # the page, and the next page's first id for its token

    CountingStore.handed_out = 0
    async with http.get(url, headers={"x-ms-continuation-token": token}) as response:
        second = [row["instanceId"] for row in await response.json()]
    assert second == [f"done-{n:05d}" for n in range(10, 20)]
    assert CountingStore.handed_out == 11


async def test_the_last_page_has_no_token_and_all_pages_cover_every_instance(
    host_factory, apps_dir, http, store
):
    host = await host_factory("http_fixture_app", app_dir=apps_dir, store=store)
    seen, token = [], None
    while token != "":
        headers = {"x-ms-continuation-token": token} if token else {}
        async with http.get(host.url(f"{API}/instances/?top=300"), headers=headers) as response:
            seen += [row["instanceId"] for row in await response.json()]
            token = response.headers["x-ms-continuation-token"]
    assert seen == [f"done-{n:05d}" for n in range(STORED)]
