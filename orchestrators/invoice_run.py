"""What the three orchestrators share: their input, their output rows and their progress.

Everything here is deterministic: it depends only on the orchestration input and on results
recorded in history, so it is safe to run on every replay.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import azure.durable_functions as df

ACTIVITY = "calculate_invoice"
RUN_ID_HEADER = "X-Run-Id"


class InvoicePostError(RuntimeError):
    """Posting an invoice failed at the transport level (refused, timeout, DNS)."""

    def __init__(self, invoice_id: str, url: str, error: object) -> None:
        super().__init__(f"POST {url} for invoice {invoice_id} failed: {error}")


@dataclass(frozen=True)
class RunInput:
    """The orchestration input the starters build: ``{"count", "seed", "api_url"}``."""

    count: int
    seed: int
    api_url: str
    max_parallel: int | None = None

    @classmethod
    def from_context(cls, context: df.DurableOrchestrationContext) -> RunInput:
        """Read and check the input; a malformed one fails the instance with a clear message."""
        raw = context.get_input()
        if not isinstance(raw, dict):
            raise ValueError(f"orchestration input must be an object, got {type(raw).__name__}")
        try:
            run = cls(
                count=raw["count"],
                seed=raw["seed"],
                api_url=raw["api_url"],
                max_parallel=raw.get("max_parallel"),
            )
        except KeyError as exc:
            raise ValueError(f"orchestration input is missing {exc}") from None
        for name, minimum in (("count", 0), ("seed", 0), ("max_parallel", 1)):
            value = getattr(run, name)
            if value is not None and not _is_int_at_least(value, minimum):
                raise ValueError(f"orchestration input '{name}' must be an integer >= {minimum}")
        if not isinstance(run.api_url, str) or not run.api_url:
            raise ValueError("orchestration input 'api_url' must be a non-empty string")
        return run


def _is_int_at_least(value: Any, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def billing_headers(context: df.DurableOrchestrationContext) -> dict[str, str]:
    """Headers for each billing POST; the run id lets the billing API count per run."""
    return {"Content-Type": "application/json", RUN_ID_HEADER: context.instance_id}


def result_row(priced: dict[str, Any], api_status: int) -> dict[str, Any]:
    """One output row per invoice. A non-2xx ``api_status`` is recorded, not raised."""
    return {
        "invoice_id": priced["invoice_id"],
        "total": priced["total"],
        "currency": priced["currency"],
        "api_status": api_status,
    }


def progress(phase: str, done: int, total: int) -> dict[str, Any]:
    """The custom status a status query shows: how far the run is."""
    return {"phase": phase, "done": done, "total": total}


def post_invoice_task(
    context: df.DurableOrchestrationContext, run: RunInput, priced: dict[str, Any]
) -> df.models.Task.TaskBase:
    """A durable HTTP POST of one calculated invoice: recorded in history, run once.

    ``content`` is a dict, so the SDK JSON-encodes it once; ``Content-Type`` must be set or
    the host sends ``text/plain``.
    """
    return context.call_http("POST", run.api_url, content=priced, headers=billing_headers(context))


def post_invoice(
    context: df.DurableOrchestrationContext, run: RunInput, priced: dict[str, Any]
) -> Generator[Any, Any, int]:
    """Post one invoice with ``call_http`` and return the HTTP status (``yield from`` it)."""
    try:
        response = yield post_invoice_task(context, run, priced)
    except Exception as exc:  # the SDK raises a bare Exception for a TaskFailed
        raise InvoicePostError(priced["invoice_id"], run.api_url, exc) from None
    return int(response["statusCode"])
