"""`devhost.testing.wait_until`: polls on the loop, and fails naming what it waited for."""

import asyncio

import pytest

from devhost.testing import wait_until


async def test_returns_once_the_predicate_holds():
    calls = []

    def ready() -> bool:
        calls.append(1)
        return len(calls) >= 3

    await wait_until(ready, 5, "three calls")
    assert len(calls) == 3


async def test_fails_with_the_message_at_the_deadline():
    with pytest.raises(TimeoutError, match=r"not true after 0\.05 s: the moon is cheese"):
        await wait_until(lambda: False, 0.05, "the moon is cheese")


async def test_settle_needs_consecutive_turns_so_scheduled_callbacks_run_first():
    state = {"flag": True}
    asyncio.get_running_loop().call_soon(state.update, {"flag": False})
    with pytest.raises(TimeoutError):
        await wait_until(lambda: state["flag"], 0.05, "still true", settle=3)
