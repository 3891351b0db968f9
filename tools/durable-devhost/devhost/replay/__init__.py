"""Replay core, pure and synchronous: history in, new history and decisions out (`episode`).

May import: the standard library (no event loop, threads, sockets or files) and the Durable SDK.
"""
