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
from sim.mediation import CITY_WORKSTATIONS, city_workstations, staff_centres
from sim.planning import staff_plan, thin_village_centres
from sim.world import World
from sim.world.routing import Places
from sim.world.sample import TownshipSample, upper_tier_staff


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
        """The centres of one tier (0 village, 1 township, 2 banner, 3 the city's workstations)."""
        return [list(self.villages.values()), list(self.townships.values()), self.banners, self.stations][tier]

    def centre_counts(self) -> dict[str, int]:
        """Centres that exist at each tier (the city centre counts once, not by workstation)."""
        return {"village": len(self.villages), "township": len(self.townships), "banner": len(self.banners), "city": 1}

    def mediators_by_tier(self) -> dict[str, int]:
        """Mediators on hand at each tier, summed over its centres (the staff the summary and the ODD show)."""
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
                kind_weights: np.ndarray, rng: np.random.Generator, keep: Staff | None = None,
                sample: TownshipSample | None = None) -> Staff:
    """Staff every centre, post and court of the world for ``cfg``.

    With ``keep`` (a reform phase starting), the city's workstations, the police posts and the
    courts are kept; the grid workers and the village, township and banner centres are new, and
    the old centres' mediators retire once the cases queued with them are done.

    With ``sample`` (``scale`` < 1: ``world`` is a sample of whole townships, sim.world.sample),
    grid workers, village and township mediators and police posts are staffed as at scale 1;
    banner centres, the city's workstations and courts, which see only the sample's flows, get
    their scale-1 staff in proportion (:func:`upper_tier_staff`), and those with less than one
    person's worth of work are named in ``sample.fidelity``.
    """
    s, med = cfg.staffing, cfg.mediation
    nb = len(places.banner_names)
    plan = staff_plan(cfg, world)  # by-model, by-banner and reform factors (sim.planning)
    if keep is not None:
        for worker in keep.workforce.agents:
            worker.remove()
        for level in range(3):
            for centre in keep.centres(level):
                for m in centre.mediators:
                    m.retired = float(env.now)
    workforce = GridWorkforce(model, s.grid_workers_per_grid * plan.grid_workers,
                              places.grid_township, rng, cfg.settlement.worker_skill_spread)
    v_centre = thin_village_centres(world.villages, places.village_centre,
                                    cfg.governance.village_centre_share, rng)
    v_hosts = np.unique(v_centre)
    t_hosts = np.unique(places.township_centre)
    spread = med.skill_spread

    def tier(t: int, hosts: np.ndarray, per: np.ndarray, factor: float = 1.0) -> list[MediationCentre]:
        # factor: sessions take this many times as long (an upper tier short of a whole person)
        return staff_centres(model, env, t, hosts, per, 1.0, med.availability[t] / factor,
                             med.skill[t], rng, spread, med.caseload[t])

    villages = tier(0, v_hosts, (s.mediators.village * plan.village)[v_hosts])
    townships = tier(1, t_hosts, (s.mediators.township * plan.township)[t_hosts])
    # upper tiers see the share of flows of the population they serve: staffed in proportion,
    # a shortfall of whole people made up by slower sessions (1 and 1.0 at scale 1)
    b_share = np.ones(nb) if sample is None else sample.banner_share()
    fidelity: dict[str, dict[str, float]] = {}
    banners = []
    for b, whole in enumerate(np.maximum(1, np.round(s.mediators.banner * plan.banner)).astype(int).tolist()):
        people, factor = upper_tier_staff(whole, b_share[b])
        banners += tier(2, np.array([b]), np.array([people], float), factor)
        _note(fidelity, "banner_centres", places.banner_names[b], whole * b_share[b])
    if keep is not None:
        stations, by_kind, posts, courts = keep.stations, keep.stations_by_kind, keep.posts, keep.courts
        return Staff(dict(zip(v_hosts.tolist(), villages)), dict(zip(t_hosts.tolist(), townships)),
                     banners, stations, by_kind, posts, courts, workforce, v_centre)
    c_share = 1.0 if sample is None else sample.share
    per_station = max(CITY_WORKSTATIONS, round(s.mediators.city)) / CITY_WORKSTATIONS
    people, factor = upper_tier_staff(round(per_station), c_share)
    stations, by_kind = city_workstations(model, env, s.mediators.city if c_share >= 1 else people * CITY_WORKSTATIONS,
                                          1.0, kind_weights, med.availability[3] / factor, med.skill[3], rng,
                                          spread, med.caseload[3])
    _note(fidelity, "city_workstations", "per workstation", round(per_station) * c_share)
    posts = {int(c): PolicePost(model, env, int(c), max(1, round(s.police_officers_per_post * plan.police[c])))
             for c in t_hosts}
    judges = max(1, round(cfg.courts.judges_per_court))
    courts = []
    for b in range(nb):
        people, factor = upper_tier_staff(judges, b_share[b])
        courts.append(Court(model, env, b, people, cfg.courts.case_days * factor))
        _note(fidelity, "courts", places.banner_names[b], judges * b_share[b])
    if sample is not None:
        sample.fidelity.update(fidelity)
    return Staff(dict(zip(v_hosts.tolist(), villages)), dict(zip(t_hosts.tolist(), townships)),
                 banners, stations, by_kind, posts, courts, workforce, v_centre)


def _note(fidelity: dict[str, dict[str, float]], level: str, unit: str, exact_staff: float) -> None:
    """Name an upper-tier centre with less than one person's worth of work (none at all: not named)."""
    if 0 < exact_staff < 1:
        fidelity.setdefault(level, {})[unit] = round(float(exact_staff), 3)
