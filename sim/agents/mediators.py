"""Mediators (调解员) and the mediation centres (非诉讼纠纷调处中心) they staff.

A centre is a Mesa agent holding a ``simpy.Store`` whose items are its :class:`Mediator` agents,
each once per case they can carry at once (their caseload): a case takes a mediator from the
store (waiting in FIFO order, up to the parties' patience), holds them for its calendar days
(sessions, investigation, the parties' availability) and puts them back. Utilisation, sessions and successes
are read from the mediators themselves (``model.agents_by_type[Mediator]``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import cast

import mesa
import simpy

from sim.config import TIERS


class Mediator(mesa.Agent):
    """A mediator: part-time availability stretches a session over more days; skill lifts success.

    Attributes:
        tier: 0 village, 1 township, 2 banner, 3 city.
        availability: share of working time spent on mediation (part-time village mediators ~0.5).
        skill: multiplier on the chance a session succeeds.
        station: the city workstation (of the 18 in "1+18+N") the mediator serves, else -1.
        sessions, successes: cases taken and settled so far.
        cases: cases in hand now; case_days: days of the cases finished so far (a mediator's load
            is case-days over ``caseload`` x days on duty).
        hired, retired: the days the mediator came on and went off duty (retired: None).
    """

    def __init__(self, model: mesa.Model, tier: int, availability: float, skill: float, station: int = -1) -> None:
        super().__init__(model)
        self.tier = tier
        self.availability = availability
        self.skill = skill
        self.station = station
        self.sessions = 0
        self.successes = 0
        self.cases = 0  # cases in hand now
        self.case_days = 0.0  # days of finished cases
        self.open_since = 0.0  # sum of the start days of the open cases
        self.hired = float(getattr(model, "day", 0))  # on duty from this day
        self.retired: float | None = None  # set when a reform phase replaces the centre

    def duty_days(self, now: float) -> float:
        """Days on duty up to ``now``."""
        end = now if self.retired is None else min(self.retired, now)
        return max(end - self.hired, 0.0)

    def session_days(self, work_days: float) -> float:
        """Calendar days a session of ``work_days`` of work takes this mediator."""
        return work_days / self.availability

    def case_days_until(self, now: float) -> float:
        """Case-days carried up to ``now``, the open cases' days so far included."""
        return self.case_days + self.cases * now - self.open_since

    def take(self, now: float) -> None:
        """Take a case at ``now``: kept as sums, so the load is read at any time without a list of cases."""
        self.sessions += 1
        self.cases += 1
        self.open_since += now

    def release(self, started: float, days: float) -> None:
        """Finish a case taken at ``started`` after ``days`` (the sums :meth:`case_days_until` reads)."""
        self.cases -= 1
        self.open_since -= started
        self.case_days += days


@dataclass(frozen=True)
class SessionResult:
    """How a case fared at a centre: ``wait`` days queued, the ``mediator`` (None if the parties
    gave up waiting) and ``service`` calendar days of the session."""

    wait: float
    mediator: Mediator | None
    service: float


class MediationCentre(mesa.Agent):
    """One centre (or one of the city's 18 workstations): a store of mediators and a FIFO queue.

    Args:
        model: the Mesa model.
        env: the SimPy environment.
        tier: 0 village .. 3 city.
        place: index of the village, township or banner it sits in (the station number at the city).
        mediators: the Mediator agents staffing it (at least one).
    """

    def __init__(self, model: mesa.Model, env: simpy.Environment, tier: int, place: int,
                 mediators: list[Mediator], caseload: int = 1) -> None:
        if not mediators:
            raise ValueError(f"a {TIERS[tier]} centre needs at least one mediator")
        if caseload < 1:
            raise ValueError(f"a mediator's caseload must be at least 1, got {caseload}")
        super().__init__(model)
        self.env = env
        self.tier = tier
        self.place = place
        self.mediators = mediators
        self.caseload = caseload
        self.slots = len(mediators) * caseload  # cases the centre can carry at once
        # each mediator is in the store once per case they can carry at once
        self.store = simpy.Store(env, capacity=len(mediators) * caseload)
        self.store.items.extend(m for _ in range(caseload) for m in mediators)

    @property
    def capacity(self) -> int:
        """Mediators on hand (each carries up to ``caseload`` cases)."""
        return len(self.mediators)

    @property
    def queue_length(self) -> int:
        """Cases waiting now for a free place in a mediator's caseload (the daily table's queue)."""
        return len(self.store.get_queue)

    @property
    def busy(self) -> int:
        """Cases in hand now."""
        return self.slots - len(self.store.items)

    def serve(self, work_days: float, patience_days: float,
              on_start: Callable[[float], None] | None = None) -> Generator[simpy.Event, object, SessionResult]:
        """Queue for a mediator (up to ``patience_days``), then hold them for the session.

        Use as ``result = yield from centre.serve(work, patience)`` inside a SimPy process;
        ``on_start`` is called with the time a mediator takes the case.
        """
        env, store = self.env, self.store
        start = env.now
        if store.items and not store.get_queue:
            # a mediator is free and nobody waits: the case takes them now, as the store's own
            # get would (first free item) but without a get event and a resume at the same
            # instant, nor a patience timer (with the condition over it) that could never fire
            mediator = cast(Mediator, store.items.pop(0))
        else:
            request = store.get()
            if not request.triggered and math.isfinite(patience_days):
                yield request | env.timeout(patience_days)
                if not request.triggered:
                    request.cancel()
                    return SessionResult(env.now - start, None, 0.0)
            yield request  # at once if a mediator came (even in the instant patience ran out)
            mediator = cast(Mediator, request.value)  # the store holds only mediators
        wait = env.now - start
        if on_start is not None:
            on_start(env.now)
        service = mediator.session_days(work_days)
        started = env.now
        mediator.take(started)
        yield env.timeout(service)
        mediator.release(started, service)
        if store.get_queue:  # cases wait: the store's put hands the mediator to the first
            store.put(mediator)
        else:  # nobody waits: back among the free, as the put would do, without its event
            store.items.append(mediator)
        return SessionResult(wait, mediator, service)
