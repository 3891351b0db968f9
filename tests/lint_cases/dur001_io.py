"""DUR001 cases: network and storage I/O in orchestrators; look-alikes and activities stay silent."""

import http.client
import urllib.parse
from urllib.request import urlopen

import aiohttp
import azure.durable_functions as df
import azure.functions as func
import httpx as hx
import requests
import socket
from azure.storage.blob import BlobServiceClient

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)


@app.orchestration_trigger(context_name="context")
def posts_raw(context: df.DurableOrchestrationContext):
    order = yield context.call_activity("price_order", context.get_input())
    requests.post("http://127.0.0.1:9/orders", json=order)  # expect: DUR001
    hx.get("http://127.0.0.1:9/health")  # expect: DUR001
    with requests.Session() as session:  # expect: DUR001
        session.get("http://127.0.0.1:9/x")  # ok: DUR001 (the Session() call already fired)
    urlopen("http://127.0.0.1:9/")  # expect: DUR001
    conn = http.client.HTTPSConnection("example.invalid")  # expect: DUR001
    socket.create_connection(("127.0.0.1", 9))  # expect: DUR001
    blobs = BlobServiceClient.from_connection_string("UseDevelopmentStorage=true")  # expect: DUR001
    return order, conn, blobs


@app.orchestration_trigger(context_name="context")
def look_alikes(context: df.DurableOrchestrationContext):
    requests = context.get_input()  # a local variable named like the library
    first = requests.get("first")  # ok: DUR001
    query = urllib.parse.urlencode({"q": first})  # ok: DUR001 (pure string work)
    try:
        response = yield context.call_http("GET", f"http://127.0.0.1:9/?{query}")  # ok: DUR001
    except aiohttp.ClientError:  # ok: DUR001 (not a call)
        response = None
    return response


@app.activity_trigger(input_name="order")
def price_order(order: dict) -> dict:
    """An activity: I/O belongs here."""
    return requests.post("http://127.0.0.1:9/price", json=order, timeout=5).json()  # ok: DUR001


@app.route(route="orders")
@app.durable_client_input(client_name="client")
async def start(req: func.HttpRequest, client) -> func.HttpResponse:
    """A starter: I/O is fine here too."""
    async with aiohttp.ClientSession() as session:  # ok: DUR001
        await session.get("http://127.0.0.1:9/")
    instance_id = await client.start_new("posts_raw")
    return client.create_check_status_response(req, instance_id)


def plain_helper_nobody_orchestrates(url: str) -> int:
    return requests.get(url, timeout=5).status_code  # ok: DUR001
