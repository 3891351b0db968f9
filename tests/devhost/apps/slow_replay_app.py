"""An orchestrator whose every replay takes REPLAY_S: to see what the episode cost includes.

Sleeping in an orchestrator is a mistake in a real app (durable_lint's DUR002); here it stands
for the replay work a host does in each episode.
"""

import time

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)
REPLAY_S = 0.15


@app.orchestration_trigger(context_name="context")
def slow_replay(context: df.DurableOrchestrationContext):
    time.sleep(REPLAY_S)  # noqa: DUR002 - the replay work under test
    value = yield context.call_activity("echo", 1)
    return value


@app.activity_trigger(input_name="value")
def echo(value: int) -> int:
    return value
