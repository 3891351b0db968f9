"""The billing guard of an episode goes with the episode: a host that runs many fixes keeps none.

Each episode of a fix builds a ``BillingGuard`` that ``@every_invoice_reported`` finds through a
registry keyed by the episode's context. The guard holds its context, so a weak key alone never
let an entry go: every context and history stayed alive, about 140 KiB per run of a fan-out of
10 (``benchmarks/memory_flat.py`` saw it). The decorator removes the entry when the episode's
generator ends or is closed.
"""

import gc

import pytest

from contract import CALL_HTTP_LOOP, FAN_OUT_FAN_IN
from orchestrators import billing_guard


@pytest.mark.parametrize("name", [CALL_HTTP_LOOP, FAN_OUT_FAN_IN])
async def test_no_guard_is_left_after_the_runs_end(host_factory, run_orchestrator, name):
    host = await host_factory("function_app")
    for seed in range(3):
        run = await run_orchestrator(host, name, {"count": 4, "seed": seed})
        assert run.status["runtimeStatus"] == "Completed"
    gc.collect()
    assert len(billing_guard._GUARDS) == 0
