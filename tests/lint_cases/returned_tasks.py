"""DUR007: tasks an orchestrator returns without yielding them.

The orchestration completes with task objects for output; the work is never waited for.
A helper that hands its tasks back to its caller is fine.
"""

import azure.durable_functions as df

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def returns_tasks(context: df.DurableOrchestrationContext):
    r1 = context.call_activity("price", 1)  # expect: DUR007
    r2 = context.call_activity("price", 2)  # expect: DUR007
    return [r1, r2]


@bp.orchestration_trigger(context_name="context")
def returns_task_calls(context: df.DurableOrchestrationContext):
    items = context.get_input()
    tasks = [context.call_activity("price", item) for item in items]  # ok: DUR007 (see return)
    return {"first": context.call_activity("price", 0), "all": context.task_all(tasks)}  # expect: DUR007


@bp.orchestration_trigger(context_name="context")
def forgets_the_yield(context: df.DurableOrchestrationContext):
    tasks = []
    for item in context.get_input():
        tasks.append(context.call_activity("price", item))  # ok: DUR007 (reported at return)
    return context.task_all(tasks)  # expect: DUR007


@bp.orchestration_trigger(context_name="context")
def yields_then_returns(context: df.DurableOrchestrationContext):
    r1 = context.call_activity("price", 1)  # ok: DUR007
    r2 = context.call_activity("price", 2)  # ok: DUR007
    results = yield context.task_all([r1, r2])
    return [results, r1.result, r2.result]


@bp.orchestration_trigger(context_name="context")
def yields_in_the_return(context: df.DurableOrchestrationContext):
    r1 = context.call_activity("price", 1)  # ok: DUR007
    r2 = context.call_activity("price", 2)  # ok: DUR007
    return (yield context.task_all([r1, r2]))  # ok: DUR007


@bp.orchestration_trigger(context_name="context")
def uses_a_helper(context: df.DurableOrchestrationContext):
    return (yield context.task_all(schedule(context)))


@bp.orchestration_trigger(context_name="context")
def nests_a_scheduler(context: df.DurableOrchestrationContext):
    def schedule_all(items):
        return [context.call_activity("price", i) for i in items]  # ok: DUR007 (nested helper)

    return (yield context.task_all(schedule_all(context.get_input())))


def schedule(context):
    """Hands its tasks back: the caller yields them."""
    r1 = context.call_activity("price", 1)  # ok: DUR007
    r2 = context.call_activity("price", 2)  # ok: DUR007
    return [r1, r2]


@bp.activity_trigger(input_name="item")
def price(item: int) -> int:
    return item
