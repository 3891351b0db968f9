"""The three orchestrators, one module each, in the order the README walks through them:

1. ``raw_http_loop``  - the anti-pattern: a raw HTTP call inside the orchestrator.
2. ``call_http_loop`` - fix 1: the same loop with ``context.call_http``.
3. ``fan_out_fan_in`` - fix 2: schedule everything, then wait once with ``task_all``.

A diff between two neighbours is the lesson. What they share lives beside them: ``invoice_run``
(input, billing target, progress), ``billing`` (the fixes' durable POSTs, retries and report)
and ``batches`` (waiting for many tasks at once).
"""
