"""Who is on hand: the staff of a run, built once from the config, the places and the plan.

Grid workers (a workforce per grid), mediators in the centres of each tier (only where a centre
exists: units that share a neighbour's centre get none of their own), the city's "1+18+N"
workstations, one police post per township centre and one court per banner. Staff per banner
is counted here, once, for the tables and the costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd
import simpy

from sim.agents import Court, GridWorkforce, MediationCentre, PolicePost
from sim.config import TIERS, Config
from sim.mediation import city_workstations, staff_centres
from sim.planning import staff_plan, thin_village_centres
from sim.world import World
from sim.world.routing import Places


@dataclass
class Staff:
    """The centres by tier (keyed by the place they sit in), the city's workstations, posts, courts."""

    villages: dict[int, MediationCentre]
    townships: dict[int, MediationCentre]
    banners: list[MediationCentre]
    stations: list[MediationCentre]
    stations_by_kind: list[list[int]]
    posts: dict[int, PolicePost]  # by township centre
    courts: list[Court]
    workforce: GridWorkforce
    village_centre: np.ndarray  # village whose centre serves each village (after the reform's share)

    def centres(self, tier: int) -> list[MediationCentre]:
        return [list(self.villages.values()), list(self.townships.values()), self.banners, self.stations][tier]

    def centre_counts(self) -> dict[str, int]:
        """Centres that exist at each tier (the city centre counts once, not by workstation)."""
        return {"village": len(self.villages), "township": len(self.townships), "banner": len(self.banners), "city": 1}

    def mediators_by_tier(self) -> dict[str, int]:
        return {t: sum(c.capacity for c in self.centres(i)) for i, t in enumerate(TIERS)}

    def by_banner(self, places: Places) -> pd.DataFrame:
        """Per banner: grid workers, mediators by tier (city excluded: it serves all) and officers."""
        nb = len(places.banner_names)
        out = pd.DataFrame(index=range(nb))
        out["grid_workers"] = np.bincount(places.grid_banner, weights=self.workforce.per_grid,
                                          minlength=nb).astype(np.int64)
        for tier, banner_of, centres in (("village", places.village_banner, self.villages),
                                         ("township", places.township_banner, self.townships)):
            hosts = np.array(list(centres), dtype=np.int64)
            out[f"mediators_{tier}"] = np.bincount(banner_of[hosts], weights=[c.capacity for c in centres.values()],
                                                   minlength=nb).astype(np.int64)
        out["mediators_banner"] = [c.capacity for c in self.banners]
        officers = np.zeros(nb, dtype=np.int64)
        for t, post in self.posts.items():
            officers[places.township_banner[t]] += post.officers.capacity
        out["police_officers"] = officers
        return out


def build_staff(model: mesa.Model, env: simpy.Environment, cfg: Config, world: World, places: Places,
                kind_weights: np.ndarray, rng: np.random.Generator, keep: Staff | None = None) -> Staff:
    """Staff every centre, post and court of the world for ``cfg`` (scaled by ``cfg.scale``).

    With ``keep`` (a reform phase starting), the city's workstations, the police posts and the
    courts are kept; the grid workers and the village, township and banner centres are new, and
    the old centres' mediators retire once the cases queued with them are done.
    """
    s, med = cfg.staffing, cfg.mediation
    plan = staff_plan(cfg, world)  # by-model, by-banner and reform factors (sim.planning)
    if keep is not None:
        for worker in keep.workforce.agents:
            worker.remove()
        for level in range(3):
            for centre in keep.centres(level):
                for m in centre.mediators:
                    m.retired = float(env.now)
    workforce = GridWorkforce(model, s.grid_workers_per_grid * cfg.scale * plan.grid_workers,
                              places.grid_township, rng, cfg.settlement.worker_skill_spread)
    v_centre = thin_village_centres(world.villages, places.village_centre,
                                    cfg.governance.village_centre_share, rng)
    v_hosts = np.unique(v_centre)
    t_hosts = np.unique(places.township_centre)
    spread = med.skill_spread

    def tier(t: int, hosts: np.ndarray, per: np.ndarray) -> list[MediationCentre]:
        return staff_centres(model, env, t, hosts, per[hosts], cfg.scale, med.availability[t],
                             med.skill[t], rng, spread, med.caseload[t])

    villages = tier(0, v_hosts, s.mediators.village * plan.village)
    townships = tier(1, t_hosts, s.mediators.township * plan.township)
    banners = tier(2, np.arange(len(places.banner_names)), s.mediators.banner * plan.banner)
    if keep is not None:
        stations, by_kind, posts, courts = keep.stations, keep.stations_by_kind, keep.posts, keep.courts
        return Staff(dict(zip(v_hosts.tolist(), villages)), dict(zip(t_hosts.tolist(), townships)),
                     banners, stations, by_kind, posts, courts, workforce, v_centre)
    stations, by_kind = city_workstations(model, env, s.mediators.city, cfg.scale, kind_weights,
                                          med.availability[3], med.skill[3], rng, spread, med.caseload[3])
    posts = {int(c): PolicePost(model, env, int(c),
                                max(1, round(s.police_officers_per_post * cfg.scale * plan.police[c])))
             for c in t_hosts}
    judges = max(1, round(cfg.courts.judges_per_court * cfg.scale))
    courts = [Court(model, env, b, judges, cfg.courts.case_days) for b in range(len(places.banner_names))]
    return Staff(dict(zip(v_hosts.tolist(), villages)), dict(zip(t_hosts.tolist(), townships)),
                 banners, stations, by_kind, posts, courts, workforce, v_centre)
