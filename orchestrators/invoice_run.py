"""What the three orchestrators share: their input, the billing target, their rows, progress.

Everything here is deterministic: it depends only on the orchestration input and on results
recorded in history, so it is safe to run on every replay. Settings reach an orchestrator only
through history: ``calculate_invoice`` returns ``{"invoice": ..., "billing": ...}``, where
``billing`` is ``app_settings.billing_target()`` read by the activity.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import azure.durable_functions as df

from app_settings import INVOICE_API_URL, MAX_INVOICE_COUNT, MISSING_BILLING_TARGET
from contract import RUN_ID_HEADER
from redaction import redact_text, redact_url

# 100,000 actions per orchestration (the platform's limit) / 2 actions per invoice. Checked
# before anything is scheduled; the deployment's MAX_INVOICE_COUNT is checked before any POST.
COUNT_LIMIT = 50_000


class RunRefused(ValueError):
    """The input asks for what this deployment does not allow; nothing was billed."""


class InvoicePostError(RuntimeError):
    """Posting an invoice failed at the transport level (refused, timeout, DNS)."""

    def __init__(self, invoice_id: str, url: str, error: object) -> None:
        super().__init__(
            f"POST {redact_url(url)} for invoice {invoice_id} failed: {redact_text(str(error))}"
        )


@dataclass(frozen=True)
class RunInput:
    """The orchestration input the starters build: ``{"count", "seed"}`` (+ ``max_parallel``).

    ``api_url`` is accepted only when it is the deployment's own INVOICE_API_URL, so an
    instance started through the durable webhooks cannot send invoices anywhere else.
    """

    count: int
    seed: int
    max_parallel: int | None = None
    api_url: str | None = None

    @classmethod
    def from_context(cls, context: df.DurableOrchestrationContext) -> RunInput:
        """Read and check the input; a malformed one fails the instance with a clear message."""
        try:
            raw = context.get_input()
        except (TypeError, ValueError):  # the SDK json.loads a webhook's array or bare string
            raw = None
        if not isinstance(raw, dict):
            raise ValueError(
                'orchestration input must be a JSON object such as {"count": 5, "seed": 0}'
            )
        try:
            run = cls(
                count=raw["count"],
                seed=raw["seed"],
                max_parallel=raw.get("max_parallel"),
                api_url=raw.get("api_url"),
            )
        except KeyError as exc:
            raise ValueError(f"orchestration input is missing {exc}") from None
        for name, minimum in (("count", 0), ("seed", 0), ("max_parallel", 1)):
            value = getattr(run, name)
            if value is not None and not _is_int_at_least(value, minimum):
                raise ValueError(f"orchestration input '{name}' must be an integer >= {minimum}")
        if run.count > COUNT_LIMIT:
            raise RunRefused(f"orchestration input 'count' must be at most {COUNT_LIMIT}")
        if run.api_url is not None and (not isinstance(run.api_url, str) or not run.api_url):
            raise ValueError("orchestration input 'api_url' must be a non-empty string")
        return run


def _is_int_at_least(value: Any, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


@dataclass(frozen=True)
class BillingTarget:
    """Where and how to bill, as this deployment's settings say (recorded in history)."""

    url: str | None  # None: this deployment has no billing target
    max_count: int
    max_attempts: int
    retry_interval_ms: int

    @classmethod
    def for_run(
        cls, run: RunInput, calculated: dict[str, Any], *, admitted: bool = False
    ) -> BillingTarget:
        """The target from a ``calculate_invoice`` result; refuses a run the settings forbid.

        A run is admitted before its first POST, under the settings of that moment; a loop
        passes ``admitted=True`` after that, so a limit lowered mid-run applies to the next
        run instead of failing this one as "nothing was billed" after it billed invoices.
        """
        target = cls(**calculated["billing"])
        if target.url is None:
            raise RunRefused(f"{MISSING_BILLING_TARGET} Nothing was billed.")
        if admitted:
            return target
        if run.api_url is not None and run.api_url != target.url:
            raise RunRefused(
                f"orchestration input 'api_url' ({redact_url(run.api_url)}) is not this "
                f"deployment's {INVOICE_API_URL}; invoices go only there. Nothing was billed."
            )
        if run.count > target.max_count:
            raise RunRefused(
                f"orchestration input 'count' ({run.count}) is above this deployment's "
                f"{MAX_INVOICE_COUNT} ({target.max_count}). Nothing was billed."
            )
        return target


def billing_headers(context: df.DurableOrchestrationContext) -> dict[str, str]:
    """Headers of every billing POST; the run id lets the billing API count per run."""
    return {"Content-Type": "application/json", RUN_ID_HEADER: context.instance_id}


def result_row(invoice: dict[str, Any], api_status: int | None) -> dict[str, Any]:
    """One output row per invoice."""
    return {
        "invoice_id": invoice["invoice_id"],
        "total": invoice["total"],
        "currency": invoice["currency"],
        "api_status": api_status,
    }


def progress(phase: str, done: int, total: int) -> dict[str, Any]:
    """The custom status a status query shows: how far the run is."""
    return {"phase": phase, "done": done, "total": total}


Orchestrator = Callable[[df.DurableOrchestrationContext], Generator[Any, Any, Any]]


def ends_with_final_phase(orchestrator: Orchestrator) -> Orchestrator:
    """Decorate an orchestrator so that its custom status ends as ``completed`` or ``failed``.

    A finished run must not keep saying ``posting``; the SDK sends the custom status along with
    the output or the error, so setting it on the way out is enough (and replay-safe).
    """

    @functools.wraps(orchestrator)
    def run(context: df.DurableOrchestrationContext) -> Generator[Any, Any, Any]:
        try:
            output = yield from orchestrator(context)
        except Exception:
            _set_phase(context, "failed")
            raise
        _set_phase(context, "completed")
        return output

    return run


def _set_phase(context: df.DurableOrchestrationContext, phase: str) -> None:
    status = context.custom_status
    context.set_custom_status({**(status if isinstance(status, dict) else {}), "phase": phase})
