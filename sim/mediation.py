"""Staffing the mediation network: centres of each tier and the city's "1+18+N" workstations.

The centres themselves are agents (:class:`~sim.agents.MediationCentre`); this module builds
them with their mediators. The city centre is "1+18+N": one centre with 18 workstations
specialised by dispute kind (the article), each its own store.
"""

from __future__ import annotations

import mesa
import numpy as np
import simpy

from sim.agents.mediators import MediationCentre, Mediator
from sim.config import KINDS
from sim.world.apportion import apportion

CITY_WORKSTATIONS = 18  # "1+18+N": 1 centre, 18 mediation workstations, N work points (article)


def staff_centres(
    model: mesa.Model,
    env: simpy.Environment,
    tier: int,
    places: np.ndarray,
    per_centre: float | np.ndarray,
    scale: float,
    availability: float,
    skill: float,
    rng: np.random.Generator,
    skill_spread: float = 0.1,
    caseload: int = 1,
) -> list[MediationCentre]:
    """One centre per place in ``places``, each with ``max(1, round(per_centre * scale))`` mediators.

    A centre that exists has at least one mediator, so below scale ~1/per_centre the tier is
    relatively better staffed than at full scale (README, "scale"). ``per_centre`` may be one
    value per centre (staffing factors by place).
    """
    places = np.asarray(places, dtype=np.int64)
    counts = np.maximum(1, np.round(np.broadcast_to(np.asarray(per_centre, float), (len(places),)) * scale))
    centres = []
    for place, count in zip(places.tolist(), counts.astype(np.int64).tolist()):
        skills = skill * rng.lognormal(0.0, skill_spread, count)
        staff = [Mediator(model, tier, availability, float(s)) for s in skills]
        centres.append(MediationCentre(model, env, tier, place, staff, caseload))
    return centres


def city_workstations(
    model: mesa.Model,
    env: simpy.Environment,
    total: float,
    scale: float,
    kind_weights: np.ndarray,
    availability: float,
    skill: float,
    rng: np.random.Generator,
    skill_spread: float = 0.1,
    caseload: int = 1,
) -> tuple[list[MediationCentre], list[list[int]]]:
    """The city centre's 18 workstations and, per dispute kind, the stations that take it.

    Stations are shared out over kinds by their weight (each kind at least one); mediators
    over stations evenly, at least one each.
    """
    per_kind = apportion(CITY_WORKSTATIONS, kind_weights, minimum=1)
    station_kind = np.repeat(np.arange(len(KINDS)), per_kind)
    staff_total = max(CITY_WORKSTATIONS, int(round(total * scale)))
    per_station = apportion(staff_total, np.ones(CITY_WORKSTATIONS))
    stations = []
    for s, n in enumerate(per_station):
        skills = skill * rng.lognormal(0.0, skill_spread, n)
        staff = [Mediator(model, 3, availability, float(x), s) for x in skills]
        stations.append(MediationCentre(model, env, 3, s, staff, caseload))
    by_kind = [np.flatnonzero(station_kind == k).tolist() for k in range(len(KINDS))]
    return stations, by_kind
