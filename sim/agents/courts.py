"""Courts (法院): each banner's basic people's court, its judges a SimPy resource."""

from __future__ import annotations

from collections.abc import Generator

import mesa
import numpy as np
import simpy


class Court(mesa.Agent):
    """A banner's basic people's court; its caseload (``filed``, ``decided``) is read from it.

    Args:
        banner: the banner it serves.
        judges: judges hearing civil cases (at least one).
        case_days: mean days a judge holds a case (exponential).
    """

    def __init__(self, model: mesa.Model, env: simpy.Environment, banner: int, judges: int,
                 case_days: float) -> None:
        super().__init__(model)
        self.env = env
        self.banner = int(banner)
        self.judges = simpy.Resource(env, capacity=max(1, int(judges)))
        self.case_days = case_days
        self.filed = 0
        self.decided = 0

    def hear(self, rng: np.random.Generator) -> Generator[simpy.Event, object, float]:
        """File a case, wait for a judge, hold them for the case; return the day it was taken up."""
        self.filed += 1
        with self.judges.request() as request:
            yield request
            started = self.env.now
            yield self.env.timeout(float(rng.exponential(self.case_days)))
        self.decided += 1
        return started
