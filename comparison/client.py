"""An HTTP client of the app's public endpoints, for any running host.

It speaks only to what a user could reach with curl: the starters, ``/api/compare``,
``/api/runs/{id}`` and the stand-in billing API's stats. So the same client works against the
embedded host, ``func start`` with Azurite, and an app in Azure (with a function key).
Every failure becomes a ``ClientError`` whose message is one sentence for a person.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

DEFAULT_BASE_URL = "http://localhost:7071"
FUNCTION_KEY_HEADER = "x-functions-key"
TERMINAL_STATUSES = {"Completed", "Failed", "Terminated", "Canceled"}


class ClientError(Exception):
    """A request to the app failed; ``str()`` is a sentence for the user."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ComparisonClient:
    """Calls the app's public endpoints at ``base_url``; use ``async with``."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        function_key: str | None = None,
        *,
        request_timeout_s: float = 30.0,
    ) -> None:
        try:
            self.base_url = app_root_url(base_url)
        except ValueError as exc:
            raise ClientError(str(exc)) from None
        self._headers = {FUNCTION_KEY_HEADER: function_key} if function_key else {}
        self._timeout_s = request_timeout_s
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> ComparisonClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session; safe to call twice."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def start(
        self, name: str, count: int, seed: int, max_parallel: int | None = None
    ) -> dict[str, Any]:
        """Start one orchestrator; returns the standard check-status payload (``id``, URLs)."""
        body: dict[str, Any] = {"count": count, "seed": seed}
        if max_parallel is not None:
            body["max_parallel"] = max_parallel
        return await self._json("POST", f"/api/orchestrators/{name}", json_body=body)

    async def compare(self, count: int, seed: int) -> dict[str, Any]:
        """Start all three orchestrators with the same input; returns their ids and status URLs."""
        return await self._json("POST", "/api/compare", json_body={"count": count, "seed": seed})

    async def run(self, instance_id: str) -> dict[str, Any]:
        """The summary of one run (status, duration, custom status, replay figures)."""
        return await self._json("GET", f"/api/runs/{instance_id}")

    async def billing_stats(self) -> dict[str, Any] | None:
        """The stand-in billing API's counters, or None when it is not enabled on this host."""
        try:
            return await self._json("GET", "/api/billing/stats")
        except ClientError as exc:
            if exc.status == 404:
                return None
            raise

    async def reset_billing_stats(self) -> None:
        """Reset the stand-in billing API's counters."""
        await self._json("DELETE", "/api/billing/stats", allow_empty=True)

    async def wait(
        self,
        instance_ids: Iterable[str],
        *,
        on_poll: Callable[[dict[str, dict[str, Any]]], None] | None = None,
        poll_interval_s: float = 0.5,
        timeout_s: float = 3600.0,
    ) -> dict[str, dict[str, Any]]:
        """Poll ``/api/runs`` until every instance reaches a terminal status.

        Polls start every 20 ms and slow down to 2 % of the time waited so far (at most
        ``poll_interval_s``), so a finish is seen within about 2 % of the run's duration.
        ``on_poll`` receives the latest summaries after each round, for progress.
        """
        ids = list(instance_ids)
        loop = asyncio.get_running_loop()
        began = loop.time()
        latest: dict[str, dict[str, Any]] = {}
        while True:
            pending = [i for i in ids if not is_terminal(latest.get(i))]
            summaries = await asyncio.gather(*(self.run(i) for i in pending))
            latest.update(zip(pending, summaries, strict=True))
            if on_poll:
                on_poll({i: latest[i] for i in ids})
            if all(is_terminal(latest[i]) for i in ids):
                return {i: latest[i] for i in ids}
            waited = loop.time() - began
            if waited >= timeout_s:
                raise ClientError(f"The runs did not finish within {timeout_s:.0f} s.")
            await asyncio.sleep(min(poll_interval_s, max(0.02, waited * 0.02)))

    async def _json(
        self,
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None = None,
        allow_empty: bool = False,
    ) -> Any:
        url = self.base_url + path
        if self._session is None:
            self._session = aiohttp.ClientSession(
                headers=self._headers, timeout=aiohttp.ClientTimeout(total=self._timeout_s)
            )
        try:
            async with self._session.request(method, url, json=json_body) as response:
                text = await response.text()
                if response.status >= 400:
                    raise _status_error(method, path, response.status, response.content_type, text)
        except aiohttp.ClientConnectorError as exc:
            raise ClientError(
                f"Cannot reach the host at {self.base_url} ({_reason(exc)}); "
                "is it running (make serve, func start) and is --base-url right?"
            ) from None
        except (TimeoutError, aiohttp.ServerTimeoutError):
            raise ClientError(
                f"{method} {path} got no answer from {self.base_url} "
                f"within {self._timeout_s:.0f} s."
            ) from None
        except aiohttp.ClientError as exc:
            raise ClientError(f"{method} {path} failed: {_reason(exc)}.") from None
        if not text.strip():
            if allow_empty:
                return None
            raise ClientError(
                f"{method} {path} answered HTTP {response.status} with an empty body."
            )
        try:
            return json.loads(text)
        except ValueError:
            raise ClientError(
                f"{method} {path} answered HTTP {response.status} with a body that is not JSON; "
                "is --base-url the app's address?"
            ) from None


def app_root_url(url: str) -> str:
    """The app's root ``url`` without its trailing slash; a ``ValueError`` names the fix.

    The client adds ``/api/...`` itself. Without this check ``localhost:7071`` reaches aiohttp as
    the scheme ``localhost`` and ``.../api`` asks for ``/api/api/compare``; neither error says
    what to change.
    """
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        host = text.split("://", 1)[-1].lstrip("/")
        raise ValueError(
            f"The base URL {url!r} has no http:// or https:// scheme: use --base-url http://{host}"
        )
    path = parts.path.rstrip("/")
    if path.lower().endswith("/api"):
        root = urlunsplit(parts._replace(path=path[: -len("/api")])).rstrip("/")
        raise ValueError(
            f"The base URL {url!r} ends in /api, which the client adds itself: "
            f"use --base-url {root}"
        )
    return text.rstrip("/")


def is_terminal(summary: dict[str, Any] | None) -> bool:
    """Whether a run summary (``GET /api/runs/{id}``) shows a finished run."""
    return bool(summary) and summary.get("runtime_status") in TERMINAL_STATUSES


def _status_error(method: str, path: str, status: int, content_type: str, text: str) -> ClientError:
    """Turn an error answer into one sentence; problem+json gives its title and detail."""
    if status in (401, 403):
        message = (
            f"The host refused {method} {path} (HTTP {status}); "
            "pass a valid function key with --function-key."
        )
    else:
        problem = _problem(content_type, text)
        if problem:
            title = str(problem.get("title") or f"HTTP {status}").rstrip(".")
            detail = str(problem.get("detail") or "").strip().rstrip(".")
            message = f"{method} {path} was rejected ({status} {title})"
            message += f": {detail}." if detail else "."
        else:
            message = f"{method} {path} answered HTTP {status}."
    return ClientError(message, status)


def _problem(content_type: str, text: str) -> dict[str, Any] | None:
    if "json" not in content_type:
        return None
    try:
        body = json.loads(text)
    except ValueError:
        return None
    return body if isinstance(body, dict) and ("title" in body or "detail" in body) else None


def _reason(exc: BaseException) -> str:
    """The innermost OS error text (``Connection refused``) rather than aiohttp's long repr."""
    inner = getattr(exc, "os_error", None) or exc.__cause__ or exc
    if isinstance(inner, ConnectionRefusedError):
        return "connection refused"
    return getattr(inner, "strerror", None) or str(inner) or type(exc).__name__
