"""Episodes per orchestration, exactly as the cost model predicts (spec §4.3)."""

import pytest


async def test_sequential_loop_takes_n_plus_one_episodes(make_engine, start):
    engine = make_engine("sequence_app")
    instance_id = await start(engine, "sequence", {"n": 4})
    status = await engine.wait(instance_id, 10)
    assert status["output"] == [0, 2, 4, 6]
    assert engine.counters(instance_id).episodes == 5
    assert engine.counters(instance_id).activities_run == 4


async def test_call_http_loop_takes_two_n_plus_one_episodes(make_engine, start, stub_api):
    engine = make_engine("sequence_app")
    instance_id = await start(engine, "http_loop", {"n": 3, "url": f"{stub_api}/ok"})
    status = await engine.wait(instance_id, 10)
    assert status["output"] == [201, 201, 201]
    counters = engine.counters(instance_id)
    assert (counters.episodes, counters.http_calls, counters.activities_run) == (7, 3, 3)


@pytest.mark.parametrize(("batching", "episodes"), [("all", 3), ("one", 2 * 5 + 1)])
async def test_fan_out_episodes_depend_on_batching(
    make_engine, start, stub_api, batching, episodes
):
    engine = make_engine("sequence_app", batching=batching)
    instance_id = await start(engine, "fan_out", {"n": 5, "url": f"{stub_api}/ok"})
    status = await engine.wait(instance_id, 10)
    assert status["output"] == [201] * 5
    assert engine.counters(instance_id).episodes == episodes


async def test_history_events_count_matches_history(make_engine, start):
    engine = make_engine("sequence_app")
    instance_id = await start(engine, "sequence", {"n": 2})
    await engine.wait(instance_id, 10)
    # episode 1: OS ES TS OC; 2: OS TC TS OC; 3: OS TC EC OC
    assert engine.counters(instance_id).history_events == len(engine.history(instance_id)) == 12
