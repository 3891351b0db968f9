"""``# noqa`` silences findings on its line; a code list silences only those codes."""

import time

import azure.durable_functions as df
import requests

bp = df.Blueprint()


@bp.orchestration_trigger(context_name="context")
def suppressed(context: df.DurableOrchestrationContext):
    for invoice in context.get_input():  # expect: DUR101 (a noqa in the body does not count)
        priced = yield context.call_activity("price", invoice)
        requests.post("http://127.0.0.1:9/", json=priced)  # noqa: DUR001 kept on purpose
        time.sleep(0)  # noqa
        requests.get("http://127.0.0.1:9/")  # noqa: DUR003  # expect: DUR001
        requests.put(  # noqa: DUR001, DUR002
            "http://127.0.0.1:9/",
            json=priced,
        )
        requests.patch(
            "http://127.0.0.1:9/",
        )  # noqa:DUR001
        message = "# noqa"; time.time()  # expect: DUR003
        requests.delete(message)  # NOQA
