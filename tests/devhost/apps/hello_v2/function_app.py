"""A tiny v2 Durable app that is not Durable Invoices: the example for docs/testing-your-app.md."""

import azure.functions as func
from hello_blueprint import bp

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
app.register_functions(bp)
