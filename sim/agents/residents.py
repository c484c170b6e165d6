"""Residents (居民): 2.24 million individuals held as arrays, with Mesa agents for live parties.

Every resident has their own tension, trust in institutions, propensity to report and fraud
awareness. They live in struct-of-arrays form, sorted by grid, so a full-scale year fits the
budget; tension and awareness relax towards their baselines lazily (computed when read, from
the day they last changed), so no daily pass over all residents is needed. The population's
:meth:`~ResidentPopulation.step` is the day's exposure to telecom fraud and the police
campaign against it, vectorised over everyone (as mesa-frames does with its agent sets);
parties to disputes are rows here, referred to by index, not throwaway agents.
"""

from __future__ import annotations

import numpy as np

from sim.catalogue import declare
from sim.config import FraudParams, ResidentParams
from sim.world.apportion import apportion

declare("resident_state", "residents",
        "Every resident carries tension, trust in institutions, willingness to report and fraud awareness, "
        "drawn at the start from Beta distributions around their means; tension relaxes to its baseline and "
        "raised awareness decays to a lasting floor (a share of it), computed when read, not by a daily pass.",
        ("residents.trust_mean", "residents.tension_mean", "residents.tension_decay_days",
         "residents.awareness_mean", "residents.awareness_decay_days", "residents.awareness_memory",
         "residents.concentration"), "居民")
declare("fraud_exposure", "fraud",
        "Each day fraudsters make Poisson-many attempts on residents drawn at random; an attempt succeeds "
        "with fraud.success x (1 - the target's awareness); a victim trusts institutions less and becomes "
        "more aware.",
        ("fraud.attempts_per_10k_day", "fraud.success", "fraud.victim_trust", "fraud.victim_awareness"),
        "电信网络诈骗")
declare("fraud_campaign", "fraud",
        "While the police anti-fraud campaign runs, it reaches residents drawn at random each day (SMS, talks, "
        "app alerts) and raises their awareness by a share of what is missing. Before the reform residents "
        "start less aware (the campaign has not yet raised it).",
        ("governance.anti_fraud_campaign", "fraud.campaign_reach_per_10k_day", "fraud.campaign_boost",
         "governance.fraud_awareness_factor"), "反诈宣传")


class ResidentPopulation:
    """All simulated residents of a world, as arrays indexed by resident number.

    Args:
        grid_population: real population of each grid.
        scale: fraction simulated; each grid keeps its share (largest remainder).
        params: means and time constants of residents' state.
        rng: the behaviour stream.
    """

    def __init__(
        self, grid_population: np.ndarray, scale: float, params: ResidentParams, rng: np.random.Generator
    ) -> None:
        total = int(round(float(np.sum(grid_population)) * scale))
        self.per_grid = apportion(total, np.asarray(grid_population, dtype=float))
        self.grid_start = np.concatenate([[0], np.cumsum(self.per_grid)]).astype(np.int64)
        self.n = total
        self.params = params
        k = params.concentration  # Beta concentration: individual spread around the mean
        self.tension_base = rng.beta(k * params.tension_mean, k * (1 - params.tension_mean), total).astype(np.float32)
        self.tension_excess = np.zeros(total, dtype=np.float32)
        self.tension_day = np.zeros(total, dtype=np.float32)
        self.trust = rng.beta(k * params.trust_mean, k * (1 - params.trust_mean), total).astype(np.float32)
        self.propensity = rng.beta(2.0, 2.0, total).astype(np.float32)  # willingness to report
        self.awareness = rng.beta(k * params.awareness_mean, k * (1 - params.awareness_mean), total).astype(np.float32)
        self.awareness_day = np.zeros(total, dtype=np.float32)
        self.awareness_floor = (params.awareness_memory * self.awareness).astype(np.float32)
        self.mean_tension_start = float(self.tension_base.mean()) if total else 0.5
        self._closures: tuple[list[int], list[float], list[float]] = ([], [], [])  # see settle()

    def grid_of(self, residents: np.ndarray) -> np.ndarray:
        """The grid of each listed resident (residents are numbered grid by grid)."""
        return np.searchsorted(self.grid_start, residents, side="right") - 1

    def sample_in_grids(self, grids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One uniformly drawn resident of each listed grid (grids must be non-empty)."""
        size = self.per_grid[grids]
        return self.grid_start[grids] + (rng.random(len(grids)) * size).astype(np.int64)

    def tension(self, idx: np.ndarray, day: float) -> np.ndarray:
        """The listed residents' tension on ``day``: the baseline plus an excess that has relaxed
        since it last changed (computed when read, so no daily pass over everyone)."""
        age = day - self.tension_day[idx]
        return self.tension_base[idx] + self.tension_excess[idx] * np.exp(-age / self.params.tension_decay_days)

    def add_tension(self, idx: np.ndarray, amount: float | np.ndarray, day: float) -> None:
        """Add ``amount`` to the listed residents' tension on ``day``, kept within [0, 1]."""
        current = self.tension(idx, day) - self.tension_base[idx]
        self.tension_excess[idx] = np.clip(current + amount, -self.tension_base[idx], 1 - self.tension_base[idx])
        self.tension_day[idx] = day

    def fraud_awareness(self, idx: np.ndarray, day: float) -> np.ndarray:
        """``floor + (awareness - floor) * exp(-(day - awareness_day) / tau)`` for the listed residents."""
        return self._awareness_now(idx, day)[0]

    def _awareness_now(self, idx: np.ndarray, day: float) -> tuple[np.ndarray, np.ndarray]:
        """Awareness today and its floor, for the listed residents (gathered copies).

        Computed in place on the gathered copies (the same float32 operations in the same order
        as the plain expression, without its five temporaries) and gathered with ``take``
        (cheaper than fancy indexing): ~90,000 residents a day while the campaign runs.
        """
        floor = self.awareness_floor.take(idx)
        decay = self.awareness_day.take(idx)
        np.subtract(day, decay, out=decay)  # age
        np.negative(decay, out=decay)
        np.divide(decay, self.params.awareness_decay_days, out=decay)
        np.exp(decay, out=decay)
        a = self.awareness.take(idx)
        np.subtract(a, floor, out=a)
        np.multiply(a, decay, out=a)
        return np.add(floor, a, out=a), floor

    def raise_awareness(self, idx: np.ndarray, boost: float | np.ndarray, day: float) -> None:
        """Raise awareness by ``boost`` (a share of what is missing); a share of it lasts (the floor).

        A resident listed twice is raised once (both entries see the same state before the raise).
        """
        a, floor = self._awareness_now(idx, day)
        raised = 1 - (1 - a) * (1 - boost)
        self.awareness[idx] = raised
        self.awareness_day[idx] = day
        lasting = (self.params.awareness_memory * raised).astype(np.float32)
        self.awareness_floor[idx] = np.maximum(floor, lasting)

    def settle(self, i: int, satisfaction: float, day: float) -> None:
        """One resident takes a closure's satisfaction into trust and tension (applied by
        :meth:`apply_settlements`, which the model calls at the end of each day).

        Two parties close per dispute, ~2 x 10^5 a year: queued as plain numbers and applied
        together, in order, instead of one resident at a time through numpy scalars.
        """
        who, sat, when = self._closures
        who.append(i)
        sat.append(satisfaction)
        when.append(day)

    def apply_settlements(self) -> None:
        """Apply the queued closures in the order they came, as :meth:`learn` then
        :meth:`add_tension` by ``tension_feedback * (satisfaction_neutral - satisfaction)`` would.

        Residents queued more than once take theirs in turn (one round per repeat), so the result
        is the one of applying each closure as it came.
        """
        who, sat, when = self._closures
        if not who:
            return
        idx, s, t = np.array(who, dtype=np.int64), np.array(sat, dtype=float), np.array(when, dtype=float)
        self._closures = ([], [], [])
        order = np.argsort(idx, kind="stable")
        first = np.ones(len(idx), dtype=bool)
        first[1:] = idx[order[1:]] != idx[order[:-1]]
        if first.all():
            self._settle(idx, s, t)
            return
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(idx)), 0))
        repeat = np.empty(len(idx), dtype=np.int64)
        repeat[order] = np.arange(len(idx)) - group_start
        for r in range(int(repeat.max()) + 1):
            take = repeat == r
            self._settle(idx[take], s[take], t[take])

    def _settle(self, idx: np.ndarray, satisfaction: np.ndarray, day: np.ndarray) -> None:
        """Closures of distinct residents, in float64 as the one-resident formulas, stored in float32."""
        p = self.params
        rate = p.trust_learning
        self.trust[idx] = (1 - rate) * self.trust[idx].astype(float) + rate * satisfaction
        base = self.tension_base[idx].astype(float)
        age = day - self.tension_day[idx].astype(float)
        current = self.tension_excess[idx].astype(float) * np.exp(-age / p.tension_decay_days)
        feedback = p.tension_feedback * (p.satisfaction_neutral - satisfaction)
        self.tension_excess[idx] = np.minimum(np.maximum(current + feedback, -base), 1 - base)
        self.tension_day[idx] = day

    def learn(self, idx: np.ndarray, satisfaction: float) -> None:
        """Trust moves towards the satisfaction a closure brought (feedback into reporting)."""
        rate = self.params.trust_learning
        self.trust[idx] = (1 - rate) * self.trust[idx] + rate * satisfaction


    def step(self, day: int, fraud: FraudParams, campaign: bool, rng: np.random.Generator) -> int:
        """The day's fraud exposure (电信网络诈骗): campaign reach, attempts, victims; returns victims.

        The police campaign raises the awareness of the residents it reaches; each attempt
        succeeds against its target with ``fraud.success x (1 - awareness)``; a victim loses
        some trust in institutions and becomes more aware.
        """
        if self.n == 0:
            return 0
        if campaign:
            reach = rng.poisson(self.n * fraud.campaign_reach_per_10k_day / 1e4)
            self.raise_awareness(rng.integers(0, self.n, reach), fraud.campaign_boost, day)
        attempts = rng.poisson(self.n * fraud.attempts_per_10k_day / 1e4)
        targets = rng.integers(0, self.n, attempts)
        hit = rng.random(attempts) < fraud.success * (1 - self.fraud_awareness(targets, day))
        victims = targets[hit]
        if len(victims):
            self.trust[victims] *= fraud.victim_trust
            self.raise_awareness(victims, fraud.victim_awareness, day)
        return len(victims)
