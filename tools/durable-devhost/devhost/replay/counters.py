"""Per-instance counters: the numbers the demo, the benchmarks and the tests all read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class InstanceCounters:
    """What one orchestration instance cost the host (times in seconds).

    `episode_wall_s[i]` is how long episode i took from its dispatch to its checkpoint (SDK call,
    replay, store write); `episode_started_s[i]` is when it started, in seconds after the
    instance was created. Both have one entry per episode, in order.

    `strict_findings` (under `--strict`, devhost/work/strict.py) has one row per (code, file, line):
    what happened, its occurrences, and how many of them happened while replaying.
    """

    episodes: int = 0
    history_events: int = 0
    activities_run: int = 0
    http_calls: int = 0
    sdk_seconds: float = 0.0
    activity_seconds: float = 0.0
    http_seconds: float = 0.0
    wall_seconds: float = 0.0
    episode_wall_s: list[float] = field(default_factory=list)
    episode_started_s: list[float] = field(default_factory=list)
    strict_findings: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> InstanceCounters:
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        return cls(**known)
