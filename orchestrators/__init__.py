"""The three orchestrators, one module each, in the order the README walks through them:

1. ``raw_http_loop``  - the anti-pattern: ``requests.post`` inside the orchestrator.
2. ``call_http_loop`` - fix 1: the same loop with ``context.call_http``.
3. ``fan_out_fan_in`` - fix 2: schedule everything, then wait once with ``context.task_all``.

A diff between two neighbours is the lesson; each file makes its own essential call. What they
share lives beside them: ``invoice_run`` (input, billing target, rows, progress and the final
phase), ``billing_guard`` (the hardening of the fixes' POSTs: idempotency keys per run,
retries on durable timers that honour ``Retry-After``, receipts, a report of every invoice
whatever ends the run), ``retry_after`` and ``batches`` (at most ``max_parallel`` in flight).
"""
