"""A run's wall time in two parts: what the profile emulates, and the host's own work.

Under the Azure-like profile a run lasts what the profile emulates (the billing API's latency
L and the episode cost D, both scaled down) plus the host's own work that does not fit inside
them: handling each raw POST on both ends, replaying, the HTTP client, Python. The time scale
does not shrink that work, so scaling the whole wall time back (x50) multiplies it, and with
it the machine's load. The demo therefore splits the wall time the host measured:

    emulated = sum over episodes k of max(D, r_k L)  +  L x (durable HTTP rounds in a row)
    host     = wall - emulated

r_k is the raw POSTs episode k makes (``raw_calls_per_episode``): they wait L each inside the
episode, and the episode lasts at least D (the host holds it until D has passed, its own replay
included). Only ``emulated`` is scaled back to Azure; ``host`` is reported as measured. Per
episode, the host's own time is the episode's wall time less max(D, r_k L); per raw POST it is
the anti-pattern's episodes' own time over the raw POSTs they made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from comparison.cost_model import critical_rounds, raw_calls_per_episode


@dataclass(frozen=True)
class AppliedProfile:
    """What the host applied, in its own seconds: L as the billing API waits, D, HTTP width."""

    latency_s: float
    episode_cost_s: float
    http_parallelism: int


@dataclass(frozen=True)
class HostTime:
    """One run's wall time (the host's clock) and the part the profile emulates in it."""

    wall_s: float
    emulated_s: float
    episode_host_s: tuple[float, ...]  # per episode: its wall time beyond max(D, r_k L)
    raw_posts: int

    @property
    def host_s(self) -> float:
        """The host's own work: the wall time the profile does not account for."""
        return self.wall_s - self.emulated_s

    @property
    def per_episode_s(self) -> float | None:
        """The host's own work per episode, all of it (in and between episodes)."""
        episodes = len(self.episode_host_s)
        return self.host_s / episodes if episodes else None

    @property
    def per_raw_post_s(self) -> float | None:
        """The host's own work inside episodes, per raw POST made in them (None: no raw POST)."""
        return sum(self.episode_host_s) / self.raw_posts if self.raw_posts else None


def split_host_time(
    name: str,
    wall_s: float,
    episode_wall_s: Sequence[float],
    http_calls: int,
    applied: AppliedProfile,
) -> HostTime:
    """Split a run of orchestrator ``name`` (see the module docstring)."""
    latency, cost = applied.latency_s, applied.episode_cost_s
    raw = raw_calls_per_episode(name, len(episode_wall_s))
    floors = [max(cost, calls * latency) for calls in raw]
    rounds = critical_rounds(name, http_calls, None, applied.http_parallelism)
    return HostTime(
        wall_s=wall_s,
        emulated_s=sum(floors) + rounds * latency,
        episode_host_s=tuple(w - f for w, f in zip(episode_wall_s, floors, strict=True)),
        raw_posts=sum(raw),
    )
