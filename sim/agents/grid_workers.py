"""Grid workers (网格员): household visits, detection, on-the-spot settlement, anti-fraud talks.

Each of the 23,912 workers is a Mesa agent with a grid and a skill; their daily visits are
computed for all of them at once from per-grid full-time equivalents, since stepping each one
in Python would cost more than the whole day's budget.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.catalogue import declare
from sim.world.apportion import apportion

declare("visit_coverage", "grid",
        "Each day a grid's workers (full-time equivalents; a grid with none is covered from its township) "
        "visit FTE x visits per worker-day x (1 - other duties) x (1 - emergency duty) households; the share "
        "of its households visited is what the grid-visit detection channel sees.",
        ("staffing.grid_workers_per_grid", "staffing.visits_per_worker_day", "staffing.duty_load",
         "detection.household_size"), "网格员走访")
declare("anti_fraud_talks", "grid",
        "While the anti-fraud campaign runs, each household visit gives one resident of the grid an "
        "anti-fraud talk, raising their awareness by the boost of the grid's governance model.",
        ("governance.anti_fraud_campaign", "governance.models.*.fraud_awareness_visit"), "入户反诈宣传")


class GridWorker(mesa.Agent):
    """One grid worker: where they work and how good they are at settling disputes."""

    def __init__(self, model: mesa.Model, grid: int, skill: float) -> None:
        super().__init__(model)
        self.grid = int(grid)
        self.skill = float(skill)
        self.settled = 0
        self.referred = 0

    def try_settle(self, base: float, intensity: float, calm_limit: float, cap: float,
                   rng: np.random.Generator) -> bool:
        """Settle on the spot (小事不出网格): likelier for calm disputes and skilled workers."""
        p = base * self.skill * min(max(calm_limit - intensity, 0.0), 1.0)
        if rng.random() < min(p, cap):
            self.settled += 1
            return True
        self.referred += 1
        return False


class GridWorkforce:
    """All grid workers: per-grid capacity arrays plus the agents that hold names and skills.

    Args:
        model: the Mesa model the agents belong to.
        fte: full-time-equivalent grid workers per grid (already scaled).
        grid_township: township of each grid (workers cover grids of their township that
            have none of their own, as happens below scale 1).
        rng: the behaviour stream.
    """

    def __init__(
        self, model: mesa.Model, fte: np.ndarray, grid_township: np.ndarray, rng: np.random.Generator,
        skill_spread: float = 0.15,
    ) -> None:
        self.model = model
        self.fte = np.asarray(fte, dtype=float)
        count = int(round(self.fte.sum()))
        per_grid = apportion(count, self.fte) if count else np.zeros(len(self.fte), dtype=np.int64)
        grids = np.repeat(np.arange(len(self.fte)), per_grid)
        skills = rng.lognormal(0.0, skill_spread, count)
        self.agents = [GridWorker(model, g, s) for g, s in zip(grids.tolist(), skills)]
        self.count = count
        # the worker who answers for each grid: its own, else one from the same township
        self.covering = np.full(len(self.fte), -1, dtype=np.int64)
        first = np.concatenate([[0], np.cumsum(per_grid)])[:-1]
        own = per_grid > 0
        self.covering[own] = first[own]
        if count and not own.all():
            for t in np.unique(grid_township[~own]):
                pool = np.flatnonzero(grid_township[grids] == t)
                need = np.flatnonzero(~own & (grid_township == t))
                if len(pool) == 0:
                    pool = np.arange(count)
                self.covering[need] = pool[rng.integers(0, len(pool), len(need))]

        self.per_grid = per_grid
        self._plan: tuple | None = None  # today's visits, kept while staffing and duty hold

    def visits(self, visits_per_worker: float, duty_load: float, diverted: float = 0.0) -> np.ndarray:
        """Household visits each grid gets today (fractional; the mean of a daily count)."""
        return self.fte * visits_per_worker * (1.0 - duty_load) * (1.0 - diverted)

    def step(self, day: int, households: np.ndarray, diverted: float, campaign: bool,
             awareness_boost: np.ndarray) -> np.ndarray:
        """The day's rounds: return each grid's share of households visited today.

        While the anti-fraud campaign runs, each visit also gives one resident of the household
        an anti-fraud talk (``awareness_boost`` per grid, by its governance model).
        """
        s = self.model.cfg.staffing
        key = (s.visits_per_worker_day, s.duty_load, diverted, campaign)
        if self._plan is None or self._plan[0] != key:  # the same every day outside an epidemic
            self._unpeopled = not bool(self.model.population.per_grid.all())
            visits = self.visits(s.visits_per_worker_day, s.duty_load, diverted)
            self._plan = (key, np.minimum(visits / households, 1.0), visits * float(campaign))
        _, coverage, talks = self._plan
        rng = self.model.rng
        n = rng.poisson(talks)
        population = self.model.population
        grids = np.repeat(np.arange(len(n)), n)
        if self._unpeopled:  # below scale ~0.01 some grids have no simulated resident
            grids = grids[population.per_grid[grids] > 0]
        if len(grids):
            who = population.sample_in_grids(grids, rng)
            population.raise_awareness(who, awareness_boost[grids], day)
        return coverage

    def worker_for(self, grid: int) -> GridWorker | None:
        """The grid worker who answers for ``grid`` (its own or one from its township); None without any."""
        i = self.covering[grid]
        return self.agents[i] if i >= 0 else None
