"""DUR101 cases: loops that await independent durable calls one by one; the look-alikes are loops
that must stay sequential (dependent chains, polling, early exits) or already fan out."""

from datetime import timedelta

import azure.durable_functions as df

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def one_at_a_time(context: df.DurableOrchestrationContext):
    rows = []
    for invoice in context.get_input():  # expect: DUR101
        priced = yield context.call_activity("price", invoice)
        rows.append(priced)
    return rows


@bp.orchestration_trigger(context_name="context")
def calculate_then_post(context: df.DurableOrchestrationContext):
    """The app's fix 1 shape: the POST uses this iteration's result, not an earlier one's."""
    run = context.get_input()
    rows = []
    for index in range(run["count"]):  # expect: DUR101
        priced = yield context.call_activity("price", {"seed": run["seed"], "index": index})
        response = yield context.call_http("POST", run["api_url"], content=priced)
        rows.append(response["statusCode"])
        context.set_custom_status({"done": len(rows), "total": run["count"]})
    return rows


@bp.orchestration_trigger(context_name="context")
def while_counter(context: df.DurableOrchestrationContext):
    urls = context.get_input()
    i = 0
    while i < len(urls):  # expect: DUR101
        task = context.call_http("GET", urls[i])
        yield task
        i += 1


@bp.orchestration_trigger(context_name="context")
def sub_orchestrations(context: df.DurableOrchestrationContext):
    total = 0
    for region in ["eu", "us"]:  # expect: DUR101
        try:
            total += yield context.call_sub_orchestrator("bill_region", region)
        except Exception:
            total += 0
    return total


@bp.orchestration_trigger(context_name="context")
def chained(context: df.DurableOrchestrationContext):
    state = context.get_input()
    for step in ["validate", "price", "post"]:  # ok: DUR101 (each step needs the last result)
        state = yield context.call_activity(step, state)
    history = []
    for step in ["a", "b"]:  # ok: DUR101 (reads what the last iteration appended)
        previous = history[-1] if history else None
        history.append((yield context.call_activity(step, previous)))
    return state, history


@bp.orchestration_trigger(context_name="context")
def fans_out(context: df.DurableOrchestrationContext):
    tasks = []
    for invoice in context.get_input():  # ok: DUR101 (schedules, does not wait)
        tasks.append(context.call_activity("price", invoice))
    priced = yield context.task_all(tasks)
    posted = []
    for start in range(0, len(priced), 10):  # ok: DUR101 (batches already fan out)
        batch = [context.call_http("POST", "http://127.0.0.1:9/", content=p) for p in priced]
        posted.extend((yield context.task_all(batch[start : start + 10])))
    return posted


@bp.orchestration_trigger(context_name="context")
def sequential_by_design(context: df.DurableOrchestrationContext):
    job = context.get_input()
    expiry = context.current_utc_datetime + timedelta(hours=1)
    while context.current_utc_datetime < expiry:  # ok: DUR101 (polling with a timer)
        status = yield context.call_activity("poll", job)
        if status == "done":
            break
        yield context.create_timer(context.current_utc_datetime + timedelta(minutes=1))
    page = yield context.call_activity("fetch_page", None)
    while page["next"]:  # ok: DUR101 (the next call needs this page's token)
        page = yield context.call_activity("fetch_page", page["next"])
    for mirror in job["mirrors"]:  # ok: DUR101 (stops at the first success)
        ok = yield context.call_activity("download", mirror)
        if ok:
            break
    for item in job["items"]:  # ok: DUR101 (fails fast on a result)
        verdict = yield context.call_activity("check", item)
        if not verdict:
            raise ValueError(f"{item} rejected")
    return page


@bp.orchestration_trigger(context_name="context")
def bill_region(context: df.DurableOrchestrationContext):
    return (yield context.call_activity("price", context.get_input()))


@bp.activity_trigger(input_name="item")
def poll(item: dict) -> str:
    return "done"


@bp.activity_trigger(input_name="token")
def fetch_page(token: str | None) -> dict:
    return {"next": None}


@bp.activity_trigger(input_name="mirror")
def download(mirror: str) -> bool:
    return True


@bp.activity_trigger(input_name="item")
def check(item: str) -> bool:
    return True


@bp.activity_trigger(input_name="invoice")
def price(invoice: dict) -> dict:
    for line in invoice["lines"]:  # ok: DUR101 (an activity: plain Python)
        line["total"] = line["qty"] * line["unit"]
    return invoice
