"""What callers see over HTTP: the Functions host, the durable HTTP API, and `serve`.

May import: devhost.replay, devhost.work, devhost.runtime; the standard library, aiohttp, SDKs.
"""
