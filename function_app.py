"""The Functions app: one DFApp, with a blueprint per orchestrator, activity and HTTP surface.

Nothing else lives here, so this file reads as the table of contents of the app.
"""

import azure.durable_functions as df
import azure.functions as func

import app_settings
import redaction
from activities import calculate_invoice
from orchestrators import call_http_loop, fan_out_fan_in, raw_http_loop
from starters import http_api

redaction.install_log_redaction()  # no billing key in any log line
app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)

app.register_functions(calculate_invoice.bp)
app.register_functions(raw_http_loop.bp)  # the anti-pattern, kept on purpose
app.register_functions(call_http_loop.bp)  # fix 1
app.register_functions(fan_out_fan_in.bp)  # fix 2
app.register_functions(http_api.bp)

if app_settings.fake_billing_enabled():
    from fake_billing import http_api as fake_billing_api

    app.register_functions(fake_billing_api.blueprint())
