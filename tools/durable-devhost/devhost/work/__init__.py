"""The work an episode dispatches (activities, durable HTTP), the app it runs, time, --strict.

May import: devhost.replay; the standard library, aiohttp and the Functions and Durable SDKs.
"""
