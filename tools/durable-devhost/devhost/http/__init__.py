"""What callers see over HTTP: the Functions host, the durable HTTP API, `serve`'s command.

May import: `devhost.replay`, `devhost.work`, `devhost.runtime`, aiohttp and the SDKs.
"""
