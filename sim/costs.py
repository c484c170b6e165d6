"""What the staff cost: yearly cost per grid worker, mediator and police officer (``staffing.costs``).

The cost of a run is the payroll of the simulated staff over the run's days; divided by the
disputes resolved it gives the planner's "cost per resolved dispute". Unit costs are planning
assumptions (yuan a year), not figures from the article: set your own in ``staffing.costs``.
Per banner, the city centre's mediators are not shared out (they serve the whole city).
"""

from __future__ import annotations

import pandas as pd

from sim.catalogue import declare
from sim.config import TIERS, Config

declare("staff_costs", "accounting",
        "The payroll of the simulated staff over the run's days (grid workers, mediators by tier, police "
        "officers), per banner and in total, and divided by the disputes resolved.",
        ("staffing.costs.grid_worker", "staffing.costs.mediator.village", "staffing.costs.mediator.township",
         "staffing.costs.mediator.banner", "staffing.costs.mediator.city", "staffing.costs.police_officer"))


def staff_costs(cfg: Config, grid_workers: float, mediators: dict[str, float], officers: float) -> dict[str, float]:
    """Cost (yuan) of the staff on the payroll over the run's days, by kind and in total."""
    c = cfg.staffing.costs
    years = cfg.days / 365.0
    out = {
        "grid_workers": float(grid_workers) * c.grid_worker * years,
        "mediators": sum(float(mediators.get(t, 0)) * getattr(c.mediator, t) for t in TIERS) * years,
        "police": float(officers) * c.police_officer * years,
    }
    out["total"] = sum(out.values())
    return out


def per_resolved(cost: float, resolved: int) -> float:
    """Cost per resolved dispute; NaN when none was resolved (no figure, rather than infinity)."""
    return cost / resolved if resolved > 0 else float("nan")


def add_banner_costs(model, banners: pd.DataFrame, staff: pd.DataFrame) -> pd.DataFrame:
    """``banners`` with police officers, staff cost (yuan) and cost per resolved dispute per banner.

    ``staff`` is the per-banner staff table (:meth:`sim.staffing.Staff.by_banner`)."""
    cost = [
        staff_costs(model.cfg, r.grid_workers,
                    {"village": r.mediators_village, "township": r.mediators_township, "banner": r.mediators_banner},
                    r.police_officers)["total"]
        for r in staff.itertuples()
    ]
    out = banners.copy()
    out["police_officers"] = staff["police_officers"].to_numpy()
    out["cost_yuan"] = cost
    out["cost_per_resolved"] = [per_resolved(c, int(n)) for c, n in zip(cost, out["resolved"])]
    return out


def summary_costs(model, summary: dict) -> dict:
    """The cost keys of the summary: ``cost`` {grid_workers, mediators, police, total} and
    ``cost_per_resolved`` (yuan), over the simulated staff and days."""
    cost = staff_costs(model.cfg, summary["grid_workers"], summary["mediators_by_tier"], summary["police_officers"])
    return {"cost": cost, "cost_per_resolved": per_resolved(cost["total"], summary["disputes"]["resolved"])}
