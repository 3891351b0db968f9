"""A fixture app whose host.json sets routePrefix "v1" and a task hub taken from a setting."""

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="hello/{name}", methods=["GET"])
@app.durable_client_input(client_name="client")
async def hello(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    payload = client.create_http_management_payload("some-id")
    return func.HttpResponse(payload["statusQueryGetUri"])


@app.orchestration_trigger(context_name="context")
def noop(context: df.DurableOrchestrationContext):
    return "done"
