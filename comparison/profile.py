"""The Azure-like profile: the cost model's L and D, scaled down so a run takes seconds.

The cost model (``cost_model.py``, docs/cost-model.md) is calibrated on the published run:
one call to the billing API costs L = 0.672 s and one episode on the Azure Storage backend
costs D = 0.856 s. The profile makes the embedded host behave like that, ``time_scale`` times
faster (1/50 by default), and then the demo *measures* what the orchestrators do:

- the stand-in billing API answers after ``L * time_scale`` (FAKE_BILLING_LATENCY_MS, whole
  milliseconds, so 13 ms for 13.44 ms);
- every episode lasts at least ``D * time_scale`` (the engine's ``episode_cost_s``): D is the
  whole cost of an episode, and the host's own replay is a part of it, so the host only waits
  for what remains.

What the profile emulates, divided by ``time_scale``, gives "Azure-scale" times to set beside
the published 900 s and ~120 s. What the scaling cannot shrink (the host's own work per call
and per episode, a few milliseconds on loopback, more under load) would come out 50 times
larger, so the demo measures it apart and reports it unscaled (``host_time.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from comparison.cost_model import DEFAULT_PARAMS, ModelParams

DEFAULT_TIME_SCALE = 1 / 50


@dataclass(frozen=True)
class AzureLikeProfile:
    """L and D of the cost model (Azure seconds) and the factor that shrinks them."""

    time_scale: float = DEFAULT_TIME_SCALE
    params: ModelParams = DEFAULT_PARAMS

    @property
    def call_latency_s(self) -> float:
        """L, in Azure seconds."""
        return self.params.call_latency_s

    @property
    def episode_cost_s(self) -> float:
        """D, in Azure seconds."""
        return self.params.episode_dispatch_s

    @property
    def billing_latency_ms(self) -> int:
        """What the stand-in billing API waits, scaled (its setting takes whole milliseconds)."""
        return round(self.call_latency_s * self.time_scale * 1000)

    @property
    def scaled_episode_cost_s(self) -> float:
        """The least an episode lasts on the embedded host, scaled."""
        return self.episode_cost_s * self.time_scale

    def azure_seconds(self, measured_s: float) -> float:
        """A wall time measured under the profile, scaled back to Azure."""
        return measured_s / self.time_scale

    def as_json(self) -> dict[str, float]:
        """``profile`` of out/demo.json: the Azure L and D, the scale, and what was applied."""
        return {
            "time_scale": self.time_scale,
            "L_s": self.call_latency_s,
            "D_s": self.episode_cost_s,
            "billing_latency_ms": self.billing_latency_ms,
            "episode_cost_ms": round(self.scaled_episode_cost_s * 1000, 3),
        }
