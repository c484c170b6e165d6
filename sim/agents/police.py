"""Police posts (派出所): call-outs with response from distance, civil-to-criminal conversion (民转刑)."""

from __future__ import annotations

import mesa
import numpy as np
import simpy


class PolicePost(mesa.Agent):
    """The police post of one township centre, with its officers as a SimPy resource.

    Its caseload is read from it: ``incidents`` (call-outs answered), ``settled`` on the spot,
    ``criminal`` (conversions), ``referred`` (sent on to mediation), ``by_village_officials``
    (answered by a police officer serving as village official, the border model's 三务合一).

    Args:
        township: the township the post sits in (one post per township centre: "two offices one centre").
        officers: officers on duty (at least one).
    """

    def __init__(self, model: mesa.Model, env: simpy.Environment, township: int, officers: int) -> None:
        super().__init__(model)
        self.township = int(township)
        self.officers = simpy.Resource(env, capacity=max(1, int(officers)))
        self.incidents = 0
        self.criminal = 0
        self.settled = 0
        self.referred = 0
        self.by_village_officials = 0  # answered by the village's own police official (border model)

    @staticmethod
    def response_hours(km: float, speed_kmh: float, dispatch_hours: float) -> float:
        """Hours from a call to arrival: dispatch plus the drive (slow help makes a crime likelier)."""
        return dispatch_hours + km / speed_kmh

    @staticmethod
    def converts(intensity: float, hours: float, base: float, per_hour: float,
                 rng: np.random.Generator) -> bool:
        """Whether the incident becomes a criminal case: worse when tense and when help is slow."""
        p = min(0.95, base * intensity + per_hour * hours)
        return bool(rng.random() < p)
