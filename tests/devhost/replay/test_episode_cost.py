"""Per-episode timing, and the episode cost that makes the host deliver episodes as Azure would.

On the Azure Storage backend an episode is one orchestration work item: DurableTask.Core's
TaskOrchestrationDispatcher locks it (AzureStorageOrchestrationService.
LockNextTaskOrchestrationWorkItemAsync: dequeue the control-queue messages, then
AzureTableTrackingStore.GetHistoryEventsAsync), replays it (ExecuteOrchestrationAsync), and
only then CompleteTaskOrchestrationWorkItemAsync writes the history and sends the new
messages. So an episode's decisions take effect after the whole work item, and the replay is
part of its cost. `EngineSettings.episode_cost_s` is that whole cost: the engine holds an
episode's decisions until it has lasted that long, counting the replay in, never on top.
"""

import pytest


def replay_s(engine) -> float:
    """The fixture app's replay time (apps/slow_replay_app.py)."""
    return engine.index.module.REPLAY_S


async def test_every_episode_is_timed_in_order(make_engine, start):
    engine = make_engine("sequence_app")
    instance_id = await start(engine, "sequence", {"n": 3})
    await engine.wait(instance_id, 10)
    counters = engine.counters(instance_id)
    assert counters.episodes == len(counters.episode_wall_s) == len(counters.episode_started_s) == 4
    assert all(wall > 0 for wall in counters.episode_wall_s)
    starts, walls = counters.episode_started_s, counters.episode_wall_s
    for index in range(3):  # an episode ends before the next one starts
        assert starts[index] + walls[index] <= starts[index + 1]
    assert engine.counters(instance_id).as_dict()["episode_wall_s"] == walls


async def test_an_episode_lasts_at_least_the_episode_cost(make_engine, start):
    engine = make_engine("sequence_app", episode_cost_s=0.1)
    instance_id = await start(engine, "sequence", {"n": 2})
    status = await engine.wait(instance_id, 10)
    assert status["output"] == [0, 2]
    walls = engine.counters(instance_id).episode_wall_s
    assert len(walls) == 3
    assert min(walls) >= 0.1 - 1e-3  # the loop may wake a clock tick early
    assert engine.counters(instance_id).wall_seconds >= 0.3


async def test_the_replay_is_part_of_the_episode_cost_not_added_to_it(make_engine, start):
    """A 150 ms replay under a 250 ms cost lasts about 250 ms; counted twice it would be 400."""
    cost = 0.25
    engine = make_engine("slow_replay_app", episode_cost_s=cost)
    replay = replay_s(engine)
    instance_id = await start(engine, "slow_replay")
    status = await engine.wait(instance_id, 10)
    assert status["output"] == 1
    walls = engine.counters(instance_id).episode_wall_s
    assert len(walls) == 2
    for wall in walls:
        assert wall >= cost - 1e-3
        assert wall < cost + replay * 0.8, f"replay counted on top of the cost: {wall:.3f} s"


@pytest.mark.parametrize("cost", [0.0, 0.05])
async def test_a_replay_longer_than_the_cost_is_not_padded(make_engine, start, cost):
    engine = make_engine("slow_replay_app", episode_cost_s=cost)
    replay = replay_s(engine)
    instance_id = await start(engine, "slow_replay")
    await engine.wait(instance_id, 10)
    walls = engine.counters(instance_id).episode_wall_s
    assert len(walls) == 2
    assert all(replay <= wall < replay + 0.1 for wall in walls)
