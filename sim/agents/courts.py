"""Courts (法院): the litigation queue at each banner's basic court."""

from __future__ import annotations

import mesa
import simpy


class Court(mesa.Agent):
    """A banner's basic people's court; judges are a SimPy resource, cases a long queue."""

    CASE_DAYS = 45.0  # mean judge-days per civil case (simple procedure)

    def __init__(self, model: mesa.Model, env: simpy.Environment, banner: int, judges: int) -> None:
        super().__init__(model)
        self.banner = int(banner)
        self.judges = simpy.Resource(env, capacity=max(1, int(judges)))
        self.filed = 0
        self.decided = 0
