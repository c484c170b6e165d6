"""A planner's levers on a built world: staffing factors, the reform's build-up, and staff costs.

Factors multiply the public staffing keys (``staffing.grid_workers_per_grid``,
``staffing.mediators.*``, ``staffing.police_officers_per_post``) place by place: by the place's
own governance model (``staffing.by_model``), by banner (``staffing.by_banner``), and by the
reform's build-up (``governance.grid_workers_factor``, ``governance.mediators_factor``).
Costs are in :mod:`sim.costs`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.catalogue import declare
from sim.config import PLACE_MODELS, Config, StaffFactors
from sim.errors import ShouwangError
from sim.world import World

declare("staff_plan", "setup",
        "Staff are placed before day 0: grid workers per grid, mediators per centre by tier, officers per "
        "police post, each multiplied by a planner's factors for a governance model's places and for a banner, "
        "and grid workers and mediators by the reform's build-up (fewer before the reform).",
        ("staffing.grid_workers_per_grid", "staffing.mediators.village", "staffing.mediators.township",
         "staffing.mediators.banner", "staffing.mediators.city", "staffing.police_officers_per_post",
         *(f"staffing.{group}.*.{f}" for group in ("by_model", "by_banner") for f in StaffFactors.__dataclass_fields__),
         "governance.grid_workers_factor", "governance.mediators_factor"), "人员配置")
declare("village_centre_build_up", "setup",
        "Before the reform only a share of villages had a working centre: the others' disputes go to a kept "
        "centre of the same township (at least one per township: longer trips, longer queues).",
        ("governance.village_centre_share",), "村级非诉中心")


def banner_index(banners: pd.DataFrame, key: str, where: str) -> int:
    """Row of the banner named ``key`` (English or Chinese name, or division code).

    Raises:
        ShouwangError: one line naming ``where``, the unknown key and the known names.
    """
    hit = np.flatnonzero((banners["name"] == key) | (banners["code"].astype(str) == str(key))
                         | (banners["name_zh"] == key))
    if len(hit) == 0:
        raise ShouwangError(f"{where}: unknown banner {key!r} (known: {', '.join(banners['name'])})")
    return int(hit[0])


@dataclass
class StaffPlan:
    """Staffing factors resolved onto the world's units (1.0 where nothing applies)."""

    grid_workers: np.ndarray  # per grid
    village: np.ndarray  # per village (its centre's mediators)
    township: np.ndarray  # per township
    banner: np.ndarray  # per banner
    police: np.ndarray  # per township (its post's officers)


def staff_plan(cfg: Config, world: World) -> StaffPlan:
    """Multiply the by-model, by-banner and reform factors onto grids, villages, townships, banners.

    A unit's model is its own place model (geography: "pastoral places"), not the governance
    applied to it, so a planner's cut follows the places whatever model runs them.
    """
    s, gov = cfg.staffing, cfg.governance
    code = {m: i for i, m in enumerate(PLACE_MODELS)}
    table = {f: np.array([getattr(s.by_model.get(m, StaffFactors()), f) for m in PLACE_MODELS])
             for f in StaffFactors.__dataclass_fields__}
    b = world.banners
    by_banner = {f: np.ones(len(b)) for f in StaffFactors.__dataclass_fields__}
    for key, factors in s.by_banner.items():
        i = banner_index(b, key, "staffing.by_banner")
        for f, values in by_banner.items():
            values[i] *= getattr(factors, f)

    def unit(frame: pd.DataFrame, field: str, banner: np.ndarray) -> np.ndarray:
        models = frame["model"].map(code).to_numpy(np.int64)
        return table[field][models] * by_banner[field][banner]

    g, v, t = world.grids, world.villages, world.townships
    med = gov.mediators_factor
    return StaffPlan(
        grid_workers=unit(g, "grid_workers", g["banner"].to_numpy()) * gov.grid_workers_factor,
        village=unit(v, "village", v["banner"].to_numpy()) * med,
        township=unit(t, "township", t["banner"].to_numpy()) * med,
        banner=unit(b, "banner", np.arange(len(b))) * med,
        police=unit(t, "police_officers", t["banner"].to_numpy()),
    )


def thin_village_centres(villages: pd.DataFrame, centre: np.ndarray, share: float,
                         rng: np.random.Generator) -> np.ndarray:
    """Keep ``share`` of the village centres (at least one per township); the rest share one.

    Before the reform few villages had a working non-litigation centre: villages without one
    take their disputes to a kept centre of the same township (longer trips, longer queues).
    """
    if share >= 1.0:
        return centre
    out = centre.copy()
    township = villages["township"].to_numpy()
    for t in np.unique(township):
        hosts = np.unique(centre[township == t])
        keep_n = max(1, round(share * len(hosts)))
        kept = rng.choice(hosts, size=keep_n, replace=False)
        dropped = np.setdiff1d(hosts, kept)
        for h in dropped:
            out[centre == h] = kept[rng.integers(0, keep_n)]
    return out

