"""Mediation centres (非诉讼纠纷调处中心) as SimPy stores of mediators, and daily tallies.

A centre is a ``simpy.Store`` whose items are the :class:`~sim.agents.Mediator` agents on hand:
a case takes a mediator from the store (waiting in FIFO order if none is free), holds them for
the session and puts them back. The city centre is "1+18+N": one centre with 18 workstations
specialised by dispute kind, each its own store.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import cast

import mesa
import numpy as np
import simpy

from sim.agents.mediators import Mediator
from sim.config import KINDS, TIERS
from sim.world.apportion import apportion

ROWS = ("grid",) + TIERS + ("police", "court")
"""Rows of the daily tally: where disputes are handled."""
COLUMNS = ("arrivals", "resolved", "escalated", "withdrawn", "litigated", "criminal")
CITY_WORKSTATIONS = 18  # "1+18+N": 1 centre, 18 mediation workstations, N work points (article)


class MediationCentre:
    """One centre (or city workstation): a store of mediators and a FIFO queue of cases.

    Args:
        env: the SimPy environment.
        tier: 0 village .. 3 city.
        mediators: the Mediator agents staffing it (at least one).
    """

    def __init__(self, env: simpy.Environment, tier: int, mediators: list[Mediator]) -> None:
        if not mediators:
            raise ValueError(f"a {TIERS[tier]} centre needs at least one mediator")
        self.env = env
        self.tier = tier
        self.mediators = mediators
        self.store = simpy.Store(env, capacity=len(mediators))
        self.store.items.extend(mediators)

    @property
    def capacity(self) -> int:
        return len(self.mediators)

    @property
    def queue_length(self) -> int:
        return len(self.store.get_queue)

    @property
    def busy(self) -> int:
        return len(self.mediators) - len(self.store.items)


@dataclass
class Tally:
    """Counts by row (grid, tiers, police, court) and column for the current day, plus run totals."""

    today: np.ndarray
    waits: np.ndarray  # per tier: sum of queue waits of cases that reached a mediator
    served: np.ndarray  # per tier: cases that reached a mediator

    @classmethod
    def empty(cls) -> Tally:
        return cls(np.zeros((len(ROWS), len(COLUMNS)), dtype=np.int64),
                   np.zeros(len(TIERS)), np.zeros(len(TIERS), dtype=np.int64))

    def add(self, row: str, column: str, n: int = 1) -> None:
        self.today[ROWS.index(row), COLUMNS.index(column)] += n


def staff_centres(
    model: mesa.Model,
    env: simpy.Environment,
    tier: int,
    n_centres: int,
    per_centre: float | np.ndarray,
    scale: float,
    availability: float,
    skill: float,
    rng: np.random.Generator,
) -> list[MediationCentre]:
    """Centres of one tier, each staffed with ``max(1, round(per_centre * scale))`` mediators.

    A centre that exists has at least one mediator, so below scale ~1/per_centre the tier is
    relatively better staffed than at full scale (README, "scale"). ``per_centre`` may be one
    value per centre (staffing factors by place).
    """
    counts = np.maximum(1, np.round(np.broadcast_to(np.asarray(per_centre, float), (n_centres,)) * scale))
    centres = []
    for count in counts.astype(np.int64):
        skills = skill * rng.lognormal(0.0, 0.1, count)
        staff = [Mediator(model, tier, availability, float(s)) for s in skills]
        centres.append(MediationCentre(env, tier, staff))
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
        skills = skill * rng.lognormal(0.0, 0.1, n)
        stations.append(MediationCentre(env, 3, [Mediator(model, 3, availability, float(x), s) for x in skills]))
    by_kind = [np.flatnonzero(station_kind == k).tolist() for k in range(len(KINDS))]
    return stations, by_kind


def session(
    env: simpy.Environment,
    centre: MediationCentre,
    work_days: float,
    patience_days: float,
    outcome: dict,
) -> Generator[simpy.Event, object, None]:
    """Queue for a mediator (up to ``patience_days``), then hold them for the session.

    Fills ``outcome`` with ``wait`` (days queued), ``mediator`` (None if the party gave up)
    and ``service`` (calendar days of the session).
    """
    start = env.now
    request = centre.store.get()
    if math.isfinite(patience_days):
        yield request | env.timeout(patience_days)
        if not request.triggered:
            request.cancel()
            outcome.update(wait=env.now - start, mediator=None, service=0.0)
            return
    yield request  # at once if a mediator came (even in the instant patience ran out)
    mediator = cast(Mediator, request.value)  # the store holds only mediators
    wait = env.now - start
    service = mediator.session_days(work_days)
    mediator.sessions += 1
    yield env.timeout(service)
    mediator.busy_days += service
    centre.store.put(mediator)
    outcome.update(wait=wait, mediator=mediator, service=service)
