"""Shocks (group ``shocks/``): an epidemic that diverts grid workers, and seasonal dispute surges.

- Epidemic (平急结合, "normal + emergency combined"): for ``days`` days from ``start_day`` a share
  of grid workers' time goes to emergency duty, so fewer households are visited and latent
  disputes grow longer before anyone sees them (the article: during the epidemic cadres went
  into the grids).
- Spring-grazing surge: more grassland boundary (``land``) disputes in pastoral places when
  herds move to spring pastures.
- Year-end wage arrears: more ``labour`` disputes when wages are settled before the Spring Festival.
"""

from __future__ import annotations

import numpy as np

from sim.catalogue import declare
from sim.config import KINDS, PLACE_MODELS, ShocksConfig, Surge

declare("epidemic", "grid",
        "For the epidemic's days a share of grid workers' visiting time goes to emergency duty, so fewer "
        "households are visited and latent disputes go unseen longer; every kind of dispute arises more "
        "often meanwhile (lockdown quarrels).",
        ("shocks.epidemic.start_day", "shocks.epidemic.days", "shocks.epidemic.diverted",
         "shocks.epidemic.dispute_rate"), "平急结合")
declare("dispute_surges", "arrival",
        "For a stretch of days a year one kind of dispute arises more often in some places: grassland "
        "boundary (land) disputes in pastoral places at spring grazing, labour disputes over wage arrears "
        "before the Spring Festival (a window may wrap past 31 December).",
        tuple(f"shocks.{s}.{k}" for s in ("grazing", "wage_arrears")
              for k in ("kind", "start_day", "days", "factor", "models")), "春季转场, 欠薪")


def _active(day: int, start: int, days: int) -> bool:
    """Whether ``day`` falls in a window of ``days`` days from day-of-year ``start`` (may wrap)."""
    return days > 0 and (day - start) % 365 < days


class Shocks:
    """Today's effect of the configured shocks on grid workers' time and on dispute rates.

    Args:
        cfg: the ``shocks`` section.
        place_model: each grid's own model code (index into ``PLACE_MODELS``).
    """

    def __init__(self, cfg: ShocksConfig, place_model: np.ndarray) -> None:
        self.cfg = cfg
        self.surges: list[tuple[Surge, np.ndarray, int]] = []
        for surge in (cfg.grazing, cfg.wage_arrears):
            if surge.days <= 0 or surge.factor == 1.0:
                continue
            codes = [PLACE_MODELS.index(m) for m in surge.models] or list(range(len(PLACE_MODELS)))
            self.surges.append((surge, np.isin(place_model, codes), KINDS.index(surge.kind)))
        self.n_grids = len(place_model)

    def diverted(self, day: int) -> float:
        """Share of grid workers' visiting time on emergency duty today (0 outside an epidemic)."""
        e = self.cfg.epidemic
        return float(e.diverted) if e.start_day <= day < e.start_day + e.days else 0.0

    def rate_factor(self, day: int) -> np.ndarray | None:
        """Multiplier on each (grid, kind) dispute rate today, or None when no shock is active."""
        out = None
        e = self.cfg.epidemic
        if e.dispute_rate != 1.0 and self.diverted(day) > 0:
            out = np.full((self.n_grids, len(KINDS)), e.dispute_rate)
        doy = day % 365
        for surge, where, kind in self.surges:
            if _active(doy, surge.start_day, surge.days):
                if out is None:
                    out = np.ones((self.n_grids, len(KINDS)))
                out[where, kind] *= surge.factor
        return out
