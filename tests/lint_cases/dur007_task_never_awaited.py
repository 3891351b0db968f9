"""DUR007 cases: tasks created and dropped; yielded, collected and fire-and-forget calls are fine."""

from datetime import timedelta

import azure.durable_functions as df

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def drops_tasks(context: df.DurableOrchestrationContext):
    context.call_activity("notify", "started")  # expect: DUR007
    context.call_http("POST", "http://127.0.0.1:9/audit")  # expect: DUR007
    forgotten = context.call_activity("notify", "forgotten")  # expect: DUR007
    batch = []
    for n in range(3):
        batch.append(context.call_activity("notify", n))  # expect: DUR007
    result = yield context.call_activity("notify", "done")
    return result


@bp.orchestration_trigger(context_name="context")
def awaits_everything(context: df.DurableOrchestrationContext):
    first = yield context.call_activity("notify", "first")  # ok: DUR007
    tasks = []
    for n in range(3):
        tasks.append(context.call_activity("notify", n))  # ok: DUR007 (collected below)
    results = yield context.task_all(tasks)
    deadline = context.current_utc_datetime + timedelta(minutes=5)
    timeout = context.create_timer(deadline)  # ok: DUR007 (raced below)
    approval = context.wait_for_external_event("Approval")  # ok: DUR007
    winner = yield context.task_any([approval, timeout])
    entity = df.EntityId("Counter", "invoices")
    context.signal_entity(entity, "add", 1)  # ok: DUR007 (fire-and-forget by design)
    context.set_custom_status({"done": len(results)})  # ok: DUR007
    more = yield from schedule(context)
    return first, winner, more


@bp.orchestration_trigger(context_name="context")
def iterates_the_task(context: df.DurableOrchestrationContext):
    """The shape seen in users' orchestrators: the fan-in stored, then looped over."""
    tasks = [context.call_activity("notify", n) for n in range(3)]
    outcome = context.task_all(tasks)
    totals = []
    for result in outcome:  # expect: DUR007
        totals.append(result)
    late = [r for r in context.task_any(tasks)]  # expect: DUR007
    return totals, late


@bp.orchestration_trigger(context_name="context")
def iterates_the_results(context: df.DurableOrchestrationContext):
    tasks = [context.call_activity("notify", n) for n in range(3)]
    for task in tasks:  # ok: DUR007 (a list of tasks, each yielded)
        yield task
    outcome = context.task_all(tasks)
    outcome = yield outcome
    for result in outcome:  # ok: DUR007 (rebound to the results by the yield)
        print(result)
    return outcome


def schedule(context):
    """A helper that hands its tasks back: collected by the caller."""
    pending = [context.call_activity("notify", n) for n in range(2)]  # ok: DUR007
    return (yield context.task_all(pending))


@bp.activity_trigger(input_name="message")
def notify(message: str) -> str:
    return message
