"""The engine and its store: instances, episodes and checkpoints, resume, the client API.

May import: devhost.replay, devhost.work; the standard library (sqlite3, threads, asyncio).
"""
