"""Per-instance counters: the numbers the demo, the benchmarks and the tests all read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class InstanceCounters:
    """What one orchestration instance cost the host (times in seconds)."""

    episodes: int = 0
    history_events: int = 0
    activities_run: int = 0
    http_calls: int = 0
    sdk_seconds: float = 0.0
    activity_seconds: float = 0.0
    http_seconds: float = 0.0
    wall_seconds: float = 0.0
    episode_wall_s: list[float] = field(default_factory=list)  # one duration per episode, in order
    episode_start_s: list[float] = field(default_factory=list)  # seconds after the instance started

    def as_dict(self) -> dict[str, int | float | list[float]]:
        return asdict(self)
