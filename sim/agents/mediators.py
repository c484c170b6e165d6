"""Mediators (调解员) at the four tiers of the non-litigation network."""

from __future__ import annotations

import mesa


class Mediator(mesa.Agent):
    """A mediator: part-time availability stretches a session over more days; skill lifts success.

    Attributes:
        tier: 0 village, 1 township, 2 banner, 3 city.
        availability: share of working time spent on mediation (part-time village mediators ~0.5).
        skill: multiplier on the chance a session succeeds.
        station: the city workstation (of the 18 in "1+18+N") the mediator serves, else -1.
    """

    def __init__(self, model: mesa.Model, tier: int, availability: float, skill: float, station: int = -1) -> None:
        super().__init__(model)
        self.tier = tier
        self.availability = availability
        self.skill = skill
        self.station = station
        self.sessions = 0
        self.successes = 0
        self.busy_days = 0.0

    def session_days(self, work_days: float) -> float:
        """Calendar days a session of ``work_days`` of work takes this mediator."""
        return work_days / self.availability
