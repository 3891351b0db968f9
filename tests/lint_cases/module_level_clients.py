"""Clients and sessions made once at module level, then used in orchestrator code (DUR001).

The object is built at import time, but every call on it does I/O again on every replay.
"""

import functools
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import azure.durable_functions as df
import httpx
import random
import requests
from azure.storage.blob import BlobServiceClient

bp = df.Blueprint()
session = requests.Session()
client = httpx.Client(timeout=5)
blobs = BlobServiceClient.from_connection_string("UseDevelopmentStorage=true")
container = blobs.get_container_client("invoices")
pool = ThreadPoolExecutor(max_workers=2)
rng = random.Random(42)
stop = threading.Event()
log = logging.getLogger(__name__)
RETRY = df.RetryOptions(first_retry_interval_in_milliseconds=1000, max_number_of_attempts=3)
shared = requests.Session()
shared = None  # rebound: what it holds is not known, so it is not checked
records = requests.Session()  # rebound by the def below


@functools.lru_cache
def records():
    """The shape seen in users' modules: a later def takes over the client's name."""
    return {"rows": []}


def upload(name: str, body: bytes) -> None:
    """A helper the orchestrator calls: its I/O replays with it."""
    container.upload_blob(name, body)  # expect: DUR001


@bp.orchestration_trigger(context_name="context")
def uses_module_clients(context: df.DurableOrchestrationContext):
    order = yield context.call_activity("price_order", context.get_input())
    session.post("http://127.0.0.1:9/orders", json=order)  # expect: DUR001
    client.get("http://127.0.0.1:9/health")  # expect: DUR001
    blobs.get_blob_client("invoices", "a.json").download_blob()  # expect: DUR001
    upload("order.json", b"{}")
    pool.submit(print, order)  # expect: DUR006
    seq = rng.randint(0, 9)  # expect: DUR004 (seeded, but its state outlives replays)
    stop.wait(1)  # expect: DUR002
    log.info("priced %s", order)  # ok: DUR001 (a logger is not a client)
    yield context.call_activity_with_retry("price_order", RETRY, seq)  # ok: DUR001
    shared.get("http://127.0.0.1:9/")  # ok: DUR001 (rebound at module level)
    records.cache_clear()  # ok: DUR001 (records is the def now, not the Session)
    return order


@bp.orchestration_trigger(context_name="context")
def shadows_the_names(context: df.DurableOrchestrationContext, session=None):
    client = context.get_input()  # a local that hides the module-level client
    client.get("key")  # ok: DUR001
    session.get("key")  # ok: DUR001 (a parameter, not the module-level session)
    with requests.Session() as http:  # expect: DUR001
        http.get("http://127.0.0.1:9/")  # ok: DUR001 (the Session() call already fired)
    return (yield context.call_activity("price_order", client))


@bp.activity_trigger(input_name="order")
def price_order(order: dict) -> dict:
    """An activity: the module-level session belongs here."""
    return session.post("http://127.0.0.1:9/price", json=order, timeout=5).json()  # ok: DUR001
