"""On-the-spot settlement (小事不出网格): who may settle a dispute where it was found.

One entry per detection channel that meets the parties on the spot; each returns the chance of
settling there (the grid worker's own skill plays in through the :class:`GridWorker` agent).
Calm disputes settle more easily: the chance is scaled by ``clip(calm_limit - intensity, 0, 1)``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.config import Config
from sim.disputes import Dispute
from sim.mechanisms.catalogue import declare
from sim.mechanisms.governance import ModelTable

M = "governance.models.*."


def calm(x: float) -> float:
    """``x`` clipped to [0, 1] (np.clip's value on one number, at a tenth of its cost)."""
    return min(max(x, 0.0), 1.0)


declare("grid_settlement", "settlement",
        "A grid worker who found a dispute settles it on the spot with the model's chance x the worker's "
        "skill x calmness (capped); otherwise it goes to dispatch.",
        (M + "grid_settle", "settlement.calm_limit", "settlement.grid_cap", "settlement.worker_skill_spread"),
        "小事不出网格")
declare("neighbour_settlement", "settlement",
        "A neighbour head or herder sentinel settles what they found with the model's chance x calmness.",
        (M + "neighbour_settle", "settlement.calm_limit"), "邻长调解")
declare("police_grid_settlement", "settlement",
        "The grid + police grid unit settles what it found with the better of the grid's and the police's "
        "chance x calmness; a police village official with the police's chance.",
        (M + "police_settle", M + "grid_settle", "settlement.calm_limit"))


def _grid_worker(d: Dispute, cfg: Config, p: ModelTable, workforce, rng: np.random.Generator) -> bool:
    worker = workforce.worker_for(d.grid)
    s = cfg.settlement
    return worker is not None and worker.try_settle(p.grid_settle[d.model], d.intensity, s.calm_limit,
                                                    s.grid_cap, rng)


def _neighbour(d: Dispute, cfg: Config, p: ModelTable, workforce, rng: np.random.Generator) -> bool:
    return bool(rng.random() < p.neighbour_settle[d.model] * calm(cfg.settlement.calm_limit - d.intensity))


def _police_grid(d: Dispute, cfg: Config, p: ModelTable, workforce, rng: np.random.Generator) -> bool:
    chance = max(p.grid_settle[d.model], p.police_settle[d.model])
    return bool(rng.random() < chance * calm(cfg.settlement.calm_limit - d.intensity))


def _village_police(d: Dispute, cfg: Config, p: ModelTable, workforce, rng: np.random.Generator) -> bool:
    return bool(rng.random() < p.police_settle[d.model] * calm(cfg.settlement.calm_limit - d.intensity))


SETTLERS: dict[str, Callable[..., bool]] = {
    "grid_worker": _grid_worker,
    "neighbour": _neighbour,
    "police_grid": _police_grid,
    "village_police": _village_police,
}
"""By detection channel: whether the finder settles the dispute on the spot."""
