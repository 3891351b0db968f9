"""What the three orchestrators share: their input, the deployment's billing target, progress.

Everything here is deterministic: it depends only on the orchestration input and on results
recorded in history, so it is safe to run on every replay. Settings reach an orchestrator only
through history: ``calculate_invoice`` returns ``{"invoice": ..., "billing": ...}``, where
``billing`` is ``app_settings.billing_target()`` read by the activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import azure.durable_functions as df

from app_settings import INVOICE_API_URL, MAX_INVOICE_COUNT
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

    url: str
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


def progress(phase: str, done: int, total: int) -> dict[str, Any]:
    """The custom status a status query shows: how far the run is."""
    return {"phase": phase, "done": done, "total": total}
