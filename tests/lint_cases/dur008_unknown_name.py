"""DUR008 cases: names nothing registers; registered names (any case) and objects are fine."""

import azure.durable_functions as df

bp = df.Blueprint()
RETRY = df.RetryOptions(first_retry_interval_in_milliseconds=1000, max_number_of_attempts=3)
ACTIVITY = "calculate_invoice"


@bp.activity_trigger(input_name="invoice")
def calculate_invoice(invoice: dict) -> dict:
    return invoice


@bp.activity_trigger(input_name="invoice", activity="send_receipt")
def _send(invoice: dict) -> str:
    return "sent"


@bp.function_name("ArchiveInvoice")
@bp.activity_trigger(input_name="invoice")
def archive(invoice: dict) -> None:
    return None


@bp.orchestration_trigger(context_name="context", orchestration="bill_customer")
def child(context: df.DurableOrchestrationContext):
    return (yield context.call_activity("calculate_invoice", context.get_input()))  # ok: DUR008


@bp.orchestration_trigger(context_name="context")
def parent(context: df.DurableOrchestrationContext):
    invoice = context.get_input()
    priced = yield context.call_activity("calculate_invoce", invoice)  # expect: DUR008
    yield context.call_activity_with_retry("send_reciept", RETRY, priced)  # expect: DUR008
    yield context.call_activity("_send", priced)  # expect: DUR008 (registered as send_receipt)
    yield context.call_sub_orchestrator("bill_custmer", priced)  # expect: DUR008
    yield context.call_activity(name="archive", input_=priced)  # expect: DUR008
    yield context.call_activity("CALCULATE_INVOICE", invoice)  # ok: DUR008 (case-insensitive)
    yield context.call_activity(calculate_invoice, invoice)  # ok: DUR008 (a function object)
    yield context.call_activity(ACTIVITY, invoice)  # ok: DUR008 (not a literal)
    yield context.call_activity("ArchiveInvoice", priced)  # ok: DUR008 (function_name)
    yield context.call_activity_with_retry("send_receipt", RETRY, priced)  # ok: DUR008
    yield context.call_sub_orchestrator("bill_customer", priced)  # ok: DUR008
    return priced
