"""call_http outcomes: a value for any status, an exception for a transport error."""

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.orchestration_trigger(context_name="context")
def probe(context: df.DurableOrchestrationContext):
    args = context.get_input()
    try:
        response = yield context.call_http(
            args["method"], args["url"], content=args.get("content"), headers=args.get("headers")
        )
    except Exception as exc:
        return {"error": str(exc)}
    return response
