"""IsPlayed as Azure Storage persists it, and is_replaying per resume point (spec §2.2, §4.3)."""


async def test_is_replaying_is_true_only_before_this_episodes_events(make_engine, start):
    engine = make_engine("sequence_app")
    module = engine.index.module
    module.REPLAYING.clear()
    await engine.wait(await start(engine, "recorder"), 10)
    assert module.REPLAYING == [
        ("start", False),
        ("start", True),
        ("after_first", False),
        ("start", True),
        ("after_first", True),
        ("after_second", False),
    ]


async def test_is_played_marks_old_messages_not_decisions(make_engine, start):
    engine = make_engine("sequence_app")
    module = engine.index.module
    module.PLAYED.clear()
    await engine.wait(await start(engine, "recorder"), 10)
    third = module.PLAYED[2]
    assert third == [
        (12, False),  # OrchestratorStarted: never played
        (0, True),  # ExecutionStarted from episode 1
        (4, False),  # TaskScheduled: a decision, persisted unplayed
        (13, False),
        (12, False),
        (5, True),  # TaskCompleted from episode 2
        (4, False),
        (13, False),
        (12, False),
        (5, False),  # new in this episode
    ]
    assert module.PLAYED[0] == [(12, False), (0, False)]
