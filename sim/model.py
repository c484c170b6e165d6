"""The Mesa model: one step is one day; SimPy runs the day's continuous time inside it.

Mesa owns who and where (residents, grid workers, mediators, police posts, courts on the
hierarchy); SimPy owns when and how long (queues, sessions, travel, response). The model wires
the parts; each part owns its behaviour (actors in :mod:`sim.agents`, mechanisms in
:mod:`sim.mechanisms`), and :meth:`ShouwangModel.step` is the day's schedule.
"""

from __future__ import annotations

from dataclasses import replace

import mesa
import numpy as np
import simpy

from sim.agents import ResidentPopulation
from sim.collector import slow_collector
from sim.config import Config
from sim.daily import daily_rows
from sim.disputes import LatentPool, Ledger
from sim.errors import ConservationError
from sim.mechanisms.arrivals import Arrivals
from sim.mechanisms.crime import BackgroundCrime
from sim.mechanisms.detection import CHANNEL_NAMES, Latent, detect, visibility
from sim.mechanisms.governance import ModelTable, grid_models
from sim.mechanisms.handling import Handling
from sim.planning import banner_index
from sim.records import AGENCIES, VisitLog
from sim.shocks import Shocks
from sim.staffing import build_staff
from sim.world import World, build_city
from sim.world.routing import places_from_graph
from sim.world.sample import sample_stream, sample_townships

STREAMS = ("world", "arrivals", "behaviour", "service", "crime")
"""Independent random streams spawned from the run's seed: two scenarios with the same seed
share their world and their arrivals (common random numbers)."""


class ShouwangModel(mesa.Model):
    """A simulated city: build with a :class:`Config`, call :meth:`step` once per day.

    Attributes:
        world: the hierarchy (:class:`~sim.world.World`); places and routes come from its graph.
        population: residents' state arrays; ``workforce``: the grid workers.
        staff: centres, posts and courts (Mesa agents); ``handling``: the disputes being handled.
        ledger: every dispute created so far; ``visits``: every hop of every dispute.
        daily: one dict per (day, row) of the daily table.
    """

    def __init__(self, cfg: Config, world: World | None = None,
                 phases: list[tuple[int, Config]] | None = None) -> None:
        if phases:  # a reform timeline: start in the first phase's system (sim.timeline)
            cfg = phases[0][1]
        self.phases = list(phases[1:]) if phases else []
        seq = np.random.SeedSequence(cfg.seed)
        streams = dict(zip(STREAMS, (np.random.default_rng(s) for s in seq.spawn(len(STREAMS)))))
        super().__init__(rng=streams["behaviour"])
        self.cfg, self.streams, self.day = cfg, streams, 0
        city = world if world is not None else build_city(cfg.city, streams["world"])
        # scale < 1: a stratified sample of whole townships, staffed locally as at scale 1 and
        # weighted to the city (sim.world.sample); its own stream, so the same seed draws the
        # same townships in every scenario. Scale 1: the city itself.
        self.sample = sample_townships(city, cfg.scale, sample_stream(cfg.seed))
        self.world = self.sample.world
        self.places = places = places_from_graph(self.world.graph)
        self.env = simpy.Environment()
        self.p = ModelTable(cfg)
        banners = self.world.banners
        self.grid_model = grid_models(cfg, places.grid_own_model, places.grid_banner,
                                      lambda key: banner_index(banners, key, "governance.banner_models"))
        # fraud awareness starts where the campaign has (or has not yet) brought it
        residents = replace(cfg.residents, awareness_mean=cfg.residents.awareness_mean
                            * cfg.governance.fraud_awareness_factor)
        self.population = ResidentPopulation(places.grid_population, 1.0, residents, streams["world"])
        kind_weights = self.p.kind_mix[places.grid_own_model].T @ places.grid_population.astype(float)
        self.staff = build_staff(self, self.env, cfg, self.world, places, kind_weights, streams["world"],
                                 sample=self.sample)
        self.workforce = self.staff.workforce
        self.mediators = self.staff.mediators_by_tier()  # staff stay put through a run
        self.households = np.maximum(self.population.per_grid / cfg.detection.household_size, 1.0)
        self.shocks = Shocks(cfg.shocks, places.grid_own_model)  # epidemic diversion, dispute surges
        self.ledger, self.latent, self.visits = Ledger(), LatentPool(), VisitLog()
        self.arrivals = Arrivals(cfg, places, self.population, self.p, self.shocks, self.grid_model,
                                 streams["arrivals"])
        self.handling = Handling(self.env, cfg, places, self.staff, self.population, self.p, self.visits,
                                 streams["service"])
        self.crime = BackgroundCrime(self.population.n, streams["crime"])
        self.daily: list[dict] = []
        self.created = 0  # disputes created, counted apart from the ledger and the closures
        self.fraud_cases = 0
        self.fraud_today = 0
        self.diverted = 0.0  # share of grid workers' time on emergency duty, set by hand (dashboard)
        self.release_collector = slow_collector(self)  # until finish() (sim.collector)

    # --- the day --------------------------------------------------------------------

    def step(self) -> None:
        """One day: disputes arise, grid workers visit, fraud strikes, disputes are found, queues run."""
        day = self.day
        if self.phases and self.phases[0][0] == day:
            self.adopt(self.phases.pop(0)[1])
        new = self.arrivals.step(day, self.ledger)
        self.created += len(new)
        self.latent.add(new)
        coverage = self.rounds(day)
        self.detect(day, coverage)
        crimes = self.crime.step(day, self.cfg.crime)
        self.env.run(until=day + 1)
        self.population.apply_settlements()  # the day's closures into trust and tension
        self.daily.extend(daily_rows(self, day, len(new), crimes))
        self.day += 1

    def adopt(self, cfg: Config) -> None:
        """Move to another system from today (a reform phase): new levers, centres and grid workers.

        Cases queued at the old centres finish there; posts, courts and the city centre stay.
        """
        self.cfg, self.p = cfg, ModelTable(cfg)
        kind_weights = self.p.kind_mix[self.places.grid_own_model].T @ self.places.grid_population.astype(float)
        self.staff = build_staff(self, self.env, cfg, self.world, self.places, kind_weights,
                                 self.streams["world"], keep=self.staff, sample=self.sample)
        self.workforce = self.staff.workforce
        self.mediators = self.staff.mediators_by_tier()
        self.households = np.maximum(self.population.per_grid / cfg.detection.household_size, 1.0)
        self.arrivals.cfg, self.arrivals.p = cfg, self.p
        self.handling.adopt(cfg, self.p, self.staff)

    def rounds(self, day: int) -> np.ndarray:
        """Grid workers' visits (with anti-fraud talks) and residents' fraud exposure; returns the
        share of each grid's households visited today (disputes play no part in it)."""
        campaign = self.cfg.governance.anti_fraud_campaign
        diverted = max(self.diverted, self.shocks.diverted(day))  # an epidemic: emergency duty
        coverage = self.workforce.step(day, self.households, diverted, campaign,
                                       self.p.fraud_awareness_visit[self.grid_model])
        self.fraud_today = self.population.step(day, self.cfg.fraud, campaign, self.rng)
        self.fraud_cases += self.fraud_today
        return coverage

    def detect(self, day: int, coverage: np.ndarray) -> None:
        """Latent disputes grow; the detection channels find some; the unfound hottest boil over."""
        pool, cfg = self.latent, self.cfg
        if len(pool) == 0:
            return
        pool.grow(cfg.disputes.growth_per_day, self.p.kind_growth, cfg.disputes.growth_noise, self.rng)
        view = Latent(pool.intensity, visibility(pool.intensity, cfg), pool.model, pool.grid,
                      self.population.trust[pool.party], self.population.propensity[pool.party],
                      coverage, self.p, cfg)
        found, channel, boiling = detect(view, self.rng)
        if found.any():
            for dispute, c in zip(pool.take(found), channel.tolist()):
                self.handling.detected(dispute, CHANNEL_NAMES[c], day)
        if boiling.any():
            for dispute in pool.take(boiling):
                self.handling.incident(dispute, day)
        fade = cfg.disputes.fade_per_day * np.clip(1.0 - pool.intensity / cfg.disputes.police_threshold, 0.0, 1.0)
        settled = self.rng.random(len(pool)) < fade
        if settled.any():
            for dispute in pool.take(settled):
                self.handling.faded(dispute, day)

    # --- the end --------------------------------------------------------------------

    def finish(self) -> dict[str, int]:
        """Close the books: check conservation, return the outcome counts.

        Three independent books must agree: disputes created (counted at arrival), closures
        by outcome (counted by the handling) plus pending (latent or live now), and the ledger.
        The police posts' own caseloads must also match the call-outs in the visit record.

        Raises:
            ConservationError: if any two disagree.
        """
        self.release_collector()
        self.latent.sync()
        closed = self.handling.closed
        counts = {k: int(closed.get(k, 0)) for k in ("resolved", "litigated", "criminal", "withdrawn")}
        counts["pending"] = len(self.latent) + len(self.handling.live)
        check_conservation(self.created, counts)
        ledger = self.ledger.counts()
        if ledger != counts or len(self.ledger) != self.created:
            raise ConservationError(f"ledger {ledger} of {len(self.ledger)} disputes disagrees with the flow {counts}")
        posts = sum(p.incidents for p in self.staff.posts.values())
        callouts = int(np.sum(np.asarray(self.visits.agency) == AGENCIES.index("police")))
        if posts != callouts:
            raise ConservationError(f"police posts answered {posts} call-outs but the visit record holds {callouts}")
        return counts


def check_conservation(created: int, counts: dict[str, int]) -> None:
    """Every dispute ends in exactly one outcome or is pending; fail loudly if not.

    Raises:
        ConservationError: naming both sides of the broken balance.
    """
    total = sum(counts[k] for k in ("resolved", "litigated", "criminal", "withdrawn", "pending"))
    if total != created:
        raise ConservationError(
            f"conservation broken: created {created} != resolved {counts['resolved']} + litigated "
            f"{counts['litigated']} + criminal {counts['criminal']} + withdrawn {counts['withdrawn']} "
            f"+ pending {counts['pending']} (= {total})"
        )
