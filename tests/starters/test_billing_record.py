"""Billed, failed and unknown per invoice, over all its attempts, from history alone."""

import json

from azure.durable_functions.constants import HTTP_ACTION_NAME

from contract import CALL_HTTP_LOOP
from starters.billing_record import billing_from_history


def request(invoice_id: str, method: str = "POST") -> str:
    content = json.dumps({"invoice_id": invoice_id})
    return json.dumps([{"method": method, "uri": "https://billing.example", "content": content}])


def answered(invoice_id: str, status: int, body: object = None, method: str = "POST") -> dict:
    if body is None:
        body = {"invoice_id": invoice_id, "charge_id": f"ch_{invoice_id}"}
    return {
        "EventType": "TaskCompleted",
        "FunctionName": HTTP_ACTION_NAME,
        "Input": request(invoice_id, method),
        "Result": {"statusCode": status, "headers": {}, "content": json.dumps(body)},
    }


def transport_error(invoice_id: str) -> dict:
    return {
        "EventType": "TaskFailed",
        "FunctionName": HTTP_ACTION_NAME,
        "Input": request(invoice_id),
        "Reason": "Connection refused",
    }


def waiting(invoice_id: str) -> dict:
    return {"EventType": "TaskScheduled", "Name": HTTP_ACTION_NAME, "Input": request(invoice_id)}


def ids(history: list[dict]) -> dict:
    figures = billing_from_history(CALL_HTTP_LOOP, history)
    assert [figures[name] for name in ("billed", "failed", "unknown")] == [
        len(figures["invoice_ids"][name]) for name in ("billed", "failed", "unknown")
    ]
    return figures["invoice_ids"]


def test_an_invoice_is_billed_when_any_attempt_got_a_receipt():
    history = [answered("A", 503), transport_error("A"), answered("A", 201)]
    assert ids(history) == {"billed": ["A"], "failed": [], "unknown": []}


def test_an_invoice_is_failed_when_its_last_answer_says_nothing_was_charged():
    history = [transport_error("A"), answered("A", 422), answered("B", 429), answered("C", 200, "")]
    assert ids(history) == {"billed": [], "failed": ["A", "B", "C"], "unknown": []}


def test_an_invoice_is_unknown_when_its_last_answer_was_5xx_or_408():
    """A 5xx or a 408 does not say whether the server charged (payment APIs document a 5xx as
    an unknown outcome): an operator must reconcile it, not bill it again."""
    history = [answered("A", 201, {}), answered("A", 500), answered("B", 503), answered("C", 408)]
    assert ids(history) == {"billed": [], "failed": [], "unknown": ["A", "B", "C"]}


def test_an_invoice_is_unknown_when_its_last_attempt_failed_in_transit():
    """A transport error (reset, timeout) may come after the billing API charged: the answer was
    lost, not refused. Only a later answer to the same key settles it (the API replays a charge
    it made), so an invoice whose last attempt failed in transit is reconciled, not rebilled."""
    history = [transport_error("A"), answered("B", 503), transport_error("B")]
    assert ids(history) == {"billed": [], "failed": [], "unknown": ["A", "B"]}


def test_an_invoice_is_unknown_when_its_last_attempt_was_never_answered():
    history = [answered("A", 503), waiting("A"), waiting("B")]
    assert ids(history) == {"billed": [], "failed": [], "unknown": ["A", "B"]}


def test_a_2xx_without_a_receipt_is_not_billed():
    """A redirected POST becomes a GET whose 200 echoes nothing; a proxy may answer 200."""
    history = [
        answered("A", 200, body={"page": "home"}),
        answered("B", 201, body={"invoice_id": "B"}),  # no charge_id
        answered("C", 201, body={"invoice_id": "other", "charge_id": "ch_1"}),
    ]
    assert ids(history) == {"billed": [], "failed": ["A", "B", "C"], "unknown": []}


def test_calls_that_post_no_invoice_are_named_in_a_note_not_counted():
    history = [answered("A", 200, method="GET"), answered("B", 201)]
    figures = billing_from_history(CALL_HTTP_LOOP, history)
    assert (figures["billed"], figures["failed"], figures["unknown"]) == (1, 0, 0)
    assert figures["note"].startswith("1 durable HTTP calls carried no invoice")


def test_activities_and_malformed_events_are_ignored():
    history = [
        {"EventType": "TaskCompleted", "FunctionName": "calculate_invoice", "Result": {}},
        {
            "EventType": "TaskCompleted",
            "FunctionName": HTTP_ACTION_NAME,
            "Input": "[[[",
            "Result": 5,
        },
        {**answered("A", 201), "Result": {"statusCode": "Created", "content": "{}"}},
    ]
    figures = billing_from_history(CALL_HTTP_LOOP, history)
    # an answer whose status cannot be read does not say nothing was charged: unknown
    assert (figures["billed"], figures["failed"], figures["unknown"]) == (0, 0, 1)
    assert figures["note"].startswith("1 durable HTTP calls")
