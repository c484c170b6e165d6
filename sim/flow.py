"""A detected dispute's life: on the spot, up the mediation tiers, to police or court, closed.

This is the escalation ladder trainers show (design.md section 4). Each dispute that leaves
the grid becomes one SimPy process; its parties become Mesa :class:`Resident` agents while it
is live and feed their satisfaction back into trust when it closes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator
from dataclasses import dataclass

import mesa
import numpy as np
import simpy

from sim.agents import Court, GridWorkforce, PolicePost, Resident, ResidentPopulation
from sim.config import TIERS, Config
from sim.disputes import HARDNESS, SERVICE_FACTOR, Dispute
from sim.errors import ConservationError
from sim.mediation import MediationCentre, Tally, session

TIER_CAP = (1.0, 1.5, 2.2, np.inf)
"""Highest intensity each tier takes on first contact: handling starts at the lowest that can."""
LEVEL = {"grid": 0, "village": 1, "township": 2, "banner": 3, "city": 4, "police": 2, "enterprise": 1, "": 2}
ENTERPRISE_DAYS = 2.0  # mean days an enterprise mediator takes over a labour or property case
MOBILE_KM = 0.3  # a mobile police room or mounted team on patrol is this share of the post's distance away
LABOUR_PROPERTY = (3, 4, 5)  # labour, property, compensation: where mining's actors help
LAND = 2


def _calm(x: float) -> float:
    """``x`` clipped to [0, 1]: np.clip's value on one number, at a tenth of its cost (per dispute)."""
    return min(max(x, 0.0), 1.0)


@dataclass
class Places:
    """The arrays a dispute's route needs, indexed by grid, village, township, banner."""

    grid_village: np.ndarray
    grid_township: np.ndarray
    grid_banner: np.ndarray
    grid_model: np.ndarray
    grid_km: np.ndarray
    village_centre: np.ndarray
    township_centre: np.ndarray
    km_to_centre: np.ndarray  # (villages, 4): road km from a village to each tier's centre
    km_to_post: np.ndarray  # per village: to the township's police post


@dataclass
class Staff:
    """Who handles disputes: the centres by tier, the city's workstations, posts and courts."""

    villages: list[MediationCentre]  # one per village centre (indexed by village)
    townships: list[MediationCentre]  # indexed by township
    banners: list[MediationCentre]
    stations: list[MediationCentre]
    stations_by_kind: list[list[int]]
    posts: dict[int, PolicePost]  # by township centre
    courts: list[Court]
    workforce: GridWorkforce

    def centres(self, tier: int) -> list[MediationCentre]:
        return [self.villages, self.townships, self.banners, self.stations][tier]


class DisputeFlow:
    """Routes detected disputes through grid, centres, police and court, and closes them."""

    def __init__(self, model: mesa.Model, env: simpy.Environment, cfg: Config, places: Places,
                 staff: Staff, population: ResidentPopulation, params: dict[str, np.ndarray],
                 tally: Tally, rng: np.random.Generator) -> None:
        self.model = model
        self.env = env
        self.cfg = cfg
        self.places = places
        self.staff = staff
        self.population = population
        self.p = params
        self.tally = tally
        self.rng = rng
        g = cfg.governance
        self.open_tiers = [t for t, on in enumerate((g.village_centres, g.township_centres, True, True)) if on]
        self.live: set[Dispute] = set()
        self.touched: set[MediationCentre] = set()  # centres used since the daily record last saw them idle
        self.closed: Counter[str] = Counter()  # closures by outcome, kept apart from the ledger

    # --- entry points called by the model each day -------------------------------------

    def _offset(self, d: Dispute, day: float) -> float:
        """When in today (days after its start) a dispute comes to light: not before it arose."""
        start = max(d.created_day, float(day))
        return start - day + float(self.rng.random()) * (day + 1 - start)

    def detected(self, d: Dispute, by: str, day: float) -> None:
        """A dispute came to light: settle it on the spot or send it up the ladder."""
        offset = self._offset(d, day)
        d.detected_day = day + offset
        d.detected_by = by
        m = d.model
        settled = False
        if by == "grid_worker":
            worker = self.staff.workforce.worker_for(d.grid)
            settled = worker is not None and worker.try_settle(self.p["grid_settle"][m], d.intensity, self.rng)
        elif by == "neighbour":
            settled = self.rng.random() < self.p["neighbour_settle"][m] * _calm(1.5 - d.intensity)
        elif by == "police_grid":
            p = max(self.p["grid_settle"][m], self.p["police_settle"][m])
            settled = self.rng.random() < p * _calm(1.5 - d.intensity)
        elif by == "village_police":  # a police officer serving as village official (三务合一)
            settled = self.rng.random() < self.p["police_settle"][m] * _calm(1.5 - d.intensity)
        if by in ("grid_worker", "neighbour", "police_grid", "village_police"):
            d.path.append("grid")
            self.tally.add("grid", "arrivals")
            if settled:
                self.tally.add("grid", "resolved")  # the daily grid row: arrivals = resolved + escalated
                self.close(d, "resolved", "grid", d.detected_day)
                return
            self.tally.add("grid", "escalated")
        entry = self._entry_tier(d.intensity)
        if d.kind == LAND and self.p["joint_handling"][m] > 0 and 1 in self.open_tiers:
            # forest model: a joint local-forestry team meets land disputes at the township
            entry = max(entry, 1)
        if d.kind in LABOUR_PROPERTY and self.rng.random() < self.p["enterprise_mediation"][m]:
            self._start(d, self._enterprise(d, entry, offset))  # mining model: "one core, many actors"
            return
        self._start(d, self._mediate(d, entry, offset))

    def incident(self, d: Dispute, day: float) -> None:
        """A latent dispute boiled over into a public-order incident (police call-out)."""
        offset = self._offset(d, day)
        d.detected_day = day + offset
        d.detected_by = "police"
        self._start(d, self._police(d, offset))

    # --- processes ------------------------------------------------------------------

    def _start(self, d: Dispute, process: Generator) -> None:
        d.agents = (Resident(self.model, self.population, d.party),
                    Resident(self.model, self.population, d.other))
        self.live.add(d)
        self.env.process(process)

    def _entry_tier(self, intensity: float) -> int:
        for t in self.open_tiers:
            if intensity <= TIER_CAP[t]:
                return t
        return self.open_tiers[-1]

    def _centre(self, d: Dispute, tier: int) -> MediationCentre:
        s = self.staff
        if tier == 0:
            return s.villages[self.places.village_centre[d.village]]
        if tier == 1:
            return s.townships[self.places.township_centre[d.township]]
        if tier == 2:
            return s.banners[d.banner]
        options = s.stations_by_kind[d.kind]
        return min((s.stations[i] for i in options), key=lambda c: c.queue_length - c.capacity)

    def _mediate(self, d: Dispute, tier: int, delay: float = 0.0) -> Generator:
        env, rng, p, m = self.env, self.rng, self.p, d.model
        med = self.cfg.mediation
        if delay > 0:
            yield env.timeout(delay)
        while True:
            name = TIERS[tier]
            d.path.append(name)
            d.tier = name
            self.tally.add(name, "arrivals")
            if rng.random() >= p["online_mediation"][m]:
                km = self.places.km_to_centre[d.village, tier] + self.places.grid_km[d.grid]
                trip = km / (p["travel_kmh"][m] * 8.0)
                if trip > 0:
                    yield env.timeout(trip)
            work = float(rng.exponential(med.service_days[tier] * SERVICE_FACTOR[d.kind]))
            patience = float(rng.exponential(med.patience_days))
            out: dict = {}
            centre = self._centre(d, tier)
            self.touched.add(centre)
            yield from session(env, centre, work, patience, out)
            d.wait_days += out["wait"]
            d.raise_intensity(self.cfg.disputes.waiting_growth_per_day * out["wait"])
            mediator = out["mediator"]
            if mediator is None:
                self.tally.add(name, "withdrawn")
                self.close(d, "withdrawn", "", env.now)
                return
            self.tally.waits[tier] += out["wait"]
            self.tally.served[tier] += 1
            if rng.random() < self._success(d, tier, out["wait"], mediator.skill):
                mediator.successes += 1
                self.tally.add(name, "resolved")
                self.close(d, "resolved", name, env.now)
                return
            d.raise_intensity(0.1)
            if rng.random() < self.cfg.police.criminal_after_failure * d.intensity:
                self.tally.add(name, "escalated")
                yield from self._police(d, 0.0)
                return
            up = [t for t in self.open_tiers if t > tier]
            if up and rng.random() < med.escalate:
                self.tally.add(name, "escalated")
                tier = up[0]
                continue
            if not up and not d.petitioned and rng.random() < med.petition:
                # a petition (信访) is referred back to the banner centre once
                d.petitioned = True
                d.path.append("petition")
                self.tally.add(name, "escalated")
                tier = 2
                continue
            if rng.random() < med.litigate:
                self.tally.add(name, "litigated")
                self.close(d, "litigated", "", env.now)
                env.process(self._court(d))
                return
            self.tally.add(name, "withdrawn")
            self.close(d, "withdrawn", "", env.now)
            return

    def _enterprise(self, d: Dispute, entry: int, delay: float) -> Generator:
        """A resident enterprise's mediator takes a labour or property case; visiting legal
        professionals (三官两员一律) help. Failures go on to the mediation ladder."""
        env, rng, p, m = self.env, self.rng, self.p, d.model
        yield env.timeout(delay + float(rng.exponential(ENTERPRISE_DAYS)))
        d.path.append("enterprise")
        d.tier = "enterprise"
        self.tally.add("grid", "arrivals")
        chance = p["enterprise_settle"][m] * (1 + p["legal_support"][m]) * _calm(1.5 - d.intensity)
        if rng.random() < chance:
            self.tally.add("grid", "resolved")
            self.close(d, "resolved", "enterprise", env.now)
            return
        self.tally.add("grid", "escalated")
        yield from self._mediate(d, entry)

    def _success(self, d: Dispute, tier: int, wait: float, skill: float) -> float:
        med, p, m = self.cfg.mediation, self.p, d.model
        base = med.success[tier] * skill
        boost = 0.0
        if d.kind in LABOUR_PROPERTY:
            boost += p["legal_support"][m]
        if d.kind == LAND:
            boost += p["joint_handling"][m]
        if tier == 0:
            boost += p["police_officials"][m]
        penalty = med.intensity_penalty * max(0.0, d.intensity - 0.5) + med.wait_penalty * wait
        return float(min(max(base * (1 + boost) - penalty - HARDNESS[d.kind], 0.02), 0.995))

    def _police(self, d: Dispute, delay: float) -> Generator:
        env, rng, p, m = self.env, self.rng, self.p, d.model
        if delay > 0:
            yield env.timeout(delay)
        d.path.append("police")
        d.tier = "police"
        self.tally.add("police", "arrivals")
        post = self.staff.posts[self.places.township_centre[d.township]]
        post.incidents += 1
        km = self.places.km_to_post[d.village] + self.places.grid_km[d.grid]
        called = env.now
        u = rng.random()
        if u < p["village_police"][m]:
            # border model: the village's own police official answers, no trip from the post
            d.path[-1] = "police_village"
            hours = 0.1 + self.places.grid_km[d.grid] / p["police_kmh"][m]
            yield env.timeout(hours / 24.0 + 0.1)
        else:
            if u < p["village_police"][m] + p["mobile_police"][m]:
                km *= MOBILE_KM  # pastoral model: mobile police rooms and mounted teams on patrol
            with post.officers.request() as request:
                yield request
                hours = post.response_hours(km, p["police_kmh"][m], p["police_dispatch_hours"][m])
                hours += 24.0 * (env.now - called)
                yield env.timeout(hours / 24.0 + 0.1)
        if post.converts(d.intensity, hours, self.cfg.police.criminal_base, self.cfg.police.criminal_per_hour, rng):
            post.criminal += 1
            self.tally.add("police", "criminal")
            self.close(d, "criminal", "", env.now)
            return
        if rng.random() < p["police_settle"][m] * _calm(1.6 - d.intensity):
            post.settled += 1
            self.tally.add("police", "resolved")
            self.close(d, "resolved", "police", env.now)
            return
        self.tally.add("police", "escalated")
        d.raise_intensity(-0.3 * d.intensity)  # the call-out calms the parties
        yield from self._mediate(d, self._entry_tier(d.intensity))

    def _court(self, d: Dispute) -> Generator:
        court = self.staff.courts[d.banner]
        court.filed += 1
        self.tally.add("court", "arrivals")
        with court.judges.request() as request:
            yield request
            yield self.env.timeout(float(self.rng.exponential(Court.CASE_DAYS)))
        court.decided += 1
        self.tally.add("court", "resolved")

    # --- closure --------------------------------------------------------------------

    def close(self, d: Dispute, outcome: str, tier: str, when: float) -> None:
        """Record the outcome; satisfaction falls with time open and with the tier reached."""
        if d.outcome != "pending":
            raise ConservationError(f"dispute {d.id} closed twice ({d.outcome}, then {outcome})")
        self.closed[outcome] += 1
        d.outcome = outcome
        d.resolved_tier = tier
        d.closed_day = when
        d.tier = "closed"
        level = LEVEL[tier] if outcome == "resolved" else max(LEVEL.get(x, 2) for x in d.path or ["grid"])
        sat = self.cfg.satisfaction  # the mapping is calibrated (scenarios/calibration/)
        s = getattr(sat, outcome) - sat.per_day * (when - d.created_day) - sat.per_level * level
        d.satisfaction = min(max(float(s), 0.0), 1.0)  # plain floats: once per closure
        if d.agents:
            for agent in d.agents:
                agent.close(d.satisfaction, when)
            d.agents = ()
            self.live.discard(d)
        else:
            idx = np.array([d.party, d.other])
            self.population.learn(idx, d.satisfaction)
            self.population.add_tension(idx, 0.3 * (0.6 - d.satisfaction), when)
