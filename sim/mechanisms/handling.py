"""A found dispute's life as SimPy processes: on the spot, up the tiers, police, court, closed.

Each hop is one visit in the :class:`~sim.records.VisitLog` (arrive, start, end with a result);
where to go after a failed attempt is the :class:`~sim.mechanisms.routing.RoutingPolicy`'s
decision. Mechanisms of the six governance models (enterprise mediators, joint forestry teams,
police village officials, mobile police) act here where their lever is non-zero.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Generator
from functools import partial

import numpy as np
import simpy

from sim.agents import MediationCentre, PolicePost, ResidentPopulation
from sim.agents.holding import give, take
from sim.config import TIERS, Config
from sim.disputes import Dispute
from sim.errors import ConservationError
from sim.mechanisms.catalogue import declare
from sim.mechanisms.courts import judgment_days, limited_days, referral_tier
from sim.mechanisms.detection import CHANNELS
from sim.mechanisms.governance import ModelTable
from sim.mechanisms.petitions import petitions_after_failure
from sim.mechanisms.processes import start_after
from sim.mechanisms.routing import Decision, RoutingPolicy
from sim.mechanisms.settlement import SETTLERS, calm
from sim.records import Visit, VisitLog
from sim.staffing import Staff
from sim.world.routing import Places

LEVEL = {"self": 0, "grid": 0, "neighbour": 0, "village": 1, "township": 2, "banner": 3, "city": 4, "police": 2,
         "enterprise": 1, "court": 3, "petition": 3}
"""How far up the system each place is, for the parties' satisfaction (grid 0 .. city 4)."""
AGENCY_OF = {c.name: c.agency for c in CHANNELS}

declare("police_callout", "police",
        "A call-out waits for an officer of the township centre's post, who travels from the post (or a "
        "mobile unit nearby, or the village's own police official); the incident turns criminal with a "
        "chance growing with intensity and response time (民转刑, ending at the call-out), else the police "
        "settle it on the spot or calm it and refer it on (police_referral).",
        ("staffing.police_officers_per_post", "police.criminal_base", "police.criminal_per_hour",
         "governance.models.*.police_kmh", "governance.models.*.police_dispatch_hours",
         "governance.models.*.police_settle", "settlement.police_calm_limit", "settlement.callout_calming",
         "settlement.police_arrival_days"), "民转刑")
declare("police_referral", "police",
        "A call-out the police neither settle nor see turn criminal is referred to the township centre of "
        "the post's township ('two offices one centre': police post, justice office and the centre work "
        "together at the township), or to the banner centre where township centres are closed.",
        ("governance.township_centres",), "两所一中心")
declare("closure", "closure",
        "A closed dispute scores its parties' satisfaction (by outcome, days open and levels climbed); "
        "trust moves towards it and tension rises when it is low.",
        ("satisfaction.resolved", "satisfaction.litigated", "satisfaction.withdrawn", "satisfaction.criminal",
         "satisfaction.per_day", "satisfaction.per_level", "residents.trust_learning",
         "residents.tension_feedback", "residents.satisfaction_neutral"))


class Handling:
    """Routes found disputes through the grid, centres, police and courts, and closes them."""

    def __init__(self, env: simpy.Environment, cfg: Config, places: Places, staff: Staff,
                 population: ResidentPopulation, p: ModelTable, log: VisitLog, rng: np.random.Generator) -> None:
        self.env, self.cfg, self.places, self.staff = env, cfg, places, staff
        self.population, self.p, self.log, self.rng = population, p, log, rng
        self.policy = RoutingPolicy(cfg, rng)
        self.logit_success = [math.log(x / (1.0 - x)) for x in cfg.mediation.success]
        for court in staff.courts:  # a judge carries many cases; these disputes get a share of them
            court.open_slots(cfg.courts.caseload_per_judge * cfg.courts.dispute_share)
        self.live: set[Dispute] = set()
        # live disputes by where they sit (their ``tier``), kept as they move: the daily record
        # reads it instead of visiting every live dispute every day
        self.live_at: Counter[str] = Counter()
        self.active: set[MediationCentre] = set()  # centres used since the daily record last saw them idle
        self.closed: dict[str, int] = {}  # closures by outcome, a book kept apart from the ledger

    def adopt(self, cfg: Config, p: ModelTable, staff: Staff) -> None:
        """A reform phase: new disputes and new hops follow the new system from now on."""
        self.cfg, self.p, self.staff = cfg, p, staff
        self.policy = RoutingPolicy(cfg, self.rng)
        self.logit_success = [math.log(x / (1.0 - x)) for x in cfg.mediation.success]

    # --- entry points called by the model each day -------------------------------------

    def _offset(self, d: Dispute, day: float) -> float:
        """When in today (days after its start) a dispute comes to light: not before it arose."""
        start = max(d.created_day, float(day))
        return start - day + float(self.rng.random()) * (day + 1 - start)

    def _visit(self, d: Dispute, agency: str, centre: int, when: float) -> Visit:
        d.hops += 1
        self._move(d, agency)
        d.level = max(d.level, LEVEL[agency])
        return self.log.arrive(d.id, d.hops - 1, agency, centre, when)

    def detected(self, d: Dispute, channel: str, day: float) -> None:
        """A dispute came to light: settle it on the spot or send it on."""
        offset = self._offset(d, day)
        now = d.detected_day = day + offset
        d.detected_by = channel
        agency = AGENCY_OF[channel]
        entry = self._entry(d)
        enterprise = d.kind in self.p.enterprise_kinds and self.rng.random() < self.p.enterprise_mediation[d.model]
        if agency:
            visit = self._visit(d, agency, d.grid, now)
            self.log.start(visit, now)
            if SETTLERS[channel](d, self.cfg, self.p, self.staff.workforce, self.rng):
                self.log.end(visit, "resolved", now)
                self.close(d, "resolved", now, "grid")
                return
        route = self._direct_route(d.intensity)
        if agency:
            self.log.end(visit, "referred", now, route or ("enterprise" if enterprise else TIERS[entry]))
        self._go_live(d)
        if route == "court":  # the parties sue at once (起诉)
            start_after(self.env, self._court(d, True), offset)
        elif route == "petition":  # they write or go to the petition office (来信来访)
            start_after(self.env, self._petition(d), offset)
        elif enterprise:  # mining model: "one core, many actors"
            start_after(self.env, self._enterprise(d, entry), offset)
        else:
            start_after(self.env, self._mediate(d, entry), offset)

    def faded(self, d: Dispute, day: float) -> None:
        """The parties settled a latent dispute themselves (自行和解) before anyone found it."""
        self.close(d, "resolved", day + self._offset(d, day), "self")

    def incident(self, d: Dispute, day: float) -> None:
        """A latent dispute boiled over into a public-order incident (police call-out)."""
        offset = self._offset(d, day)
        d.detected_day = day + offset
        d.detected_by = "police"
        self._go_live(d)
        start_after(self.env, self._police(d), offset)

    def _go_live(self, d: Dispute) -> None:
        self.live.add(d)
        self.live_at[d.tier] += 1

    def _move(self, d: Dispute, where: str) -> None:
        """The dispute now sits at ``where`` (its ``tier``); a live one moves in the counts too."""
        if d in self.live:
            at = self.live_at
            at[d.tier] -= 1
            at[where] += 1
        d.tier = where

    def _direct_route(self, intensity: float) -> str:
        """Where the parties of a found dispute not settled on the spot turn first: "court", "petition",
        or "" (the mediation network). The shares hold for a dispute at the police threshold and
        scale down with its intensity below it: a dispute found early is seldom sued over, which is
        the grid's lever on court filings. One draw, none when neither share is set."""
        court, petition = self.cfg.courts.direct_share, self.cfg.petitions.direct_share
        if court <= 0 and petition <= 0:
            return ""
        tension = min(max(intensity / self.cfg.disputes.police_threshold, 0.0), 1.0)
        u = self.rng.random()
        return "court" if u < court * tension else "petition" if u < (court + petition) * tension else ""

    # --- processes ------------------------------------------------------------------

    def _entry(self, d: Dispute) -> int:
        """Dispatch: the tier a dispute goes to first (forest model: land at the township's joint team)."""
        joint = d.kind in self.p.joint_kinds and self.p.joint_handling[d.model] > 0
        return self.policy.entry(d.intensity, d.kind, joint)

    def _centre(self, d: Dispute, tier: int) -> MediationCentre:
        s = self.staff
        if tier == 0:
            return s.villages[s.village_centre[d.village]]
        if tier == 1:
            return s.townships[self.places.township_centre[d.township]]
        if tier == 2:
            return s.banners[d.banner]
        return min((s.stations[i] for i in s.stations_by_kind[d.kind]), key=lambda c: c.queue_length - c.capacity)

    def _mediate(self, d: Dispute, tier: int) -> Generator:
        env, rng, p, m, med = self.env, self.rng, self.p, d.model, self.cfg.mediation
        while True:
            self._move(d, TIERS[tier])
            if rng.random() >= p.online_mediation[m]:  # the parties travel to the centre
                km = self.places.km_to_centre[d.village, tier] + self.places.grid_km[d.grid]
                trip = km / (p.travel_kmh[m] * med.travel_hours_per_day)
                if trip > 0:
                    yield env.timeout(trip)
            centre = self._centre(d, tier)  # chosen on arrival (the city's least busy workstation)
            visit = self._visit(d, TIERS[tier], centre.place, env.now)
            work = float(rng.exponential(med.service_days[tier] * p.kind_service[d.kind]))
            patience = float(rng.exponential(med.patience_days))
            self.active.add(centre)
            result = yield from centre.serve(work, patience, partial(self.log.start, visit))
            d.raise_intensity(self.cfg.disputes.waiting_growth_per_day * result.wait)
            mediator = result.mediator
            if mediator is None:
                self.log.end(visit, "withdrew", env.now)
                self.close(d, "withdrawn", env.now)
                return
            if rng.random() < self._success(d, tier, result.wait, mediator.skill):
                mediator.successes += 1
                self.log.end(visit, "resolved", env.now)
                self.close(d, "resolved", env.now, TIERS[tier])
                return
            d.raise_intensity(med.failure_intensity)
            decision = self.policy.after_failure(tier, d.intensity, d.petitioned)
            if decision.action in ("climb", "court", "withdraw") and petitions_after_failure(
                    rng, self.cfg.petitions, d.petitioned):
                decision = Decision("petition", 2)  # a failure at any tier may end in a petition (信访)
            if decision.action == "climb":
                self.log.end(visit, "climbed", env.now, TIERS[decision.tier])
                tier = decision.tier
            elif decision.action == "police":
                self.log.end(visit, "referred", env.now, "police")
                yield from self._police(d)
                return
            elif decision.action == "petition":
                self.log.end(visit, "referred", env.now, "petition")
                yield from self._petition(d)
                return
            elif decision.action == "court":
                self.log.end(visit, "referred", env.now, "court")
                yield from self._court(d, False)
                return
            else:
                self.log.end(visit, "withdrew", env.now)
                self.close(d, "withdrawn", env.now)
                return

    def _enterprise(self, d: Dispute, entry: int) -> Generator:
        """A resident enterprise's mediator takes a labour or property case; visiting legal
        professionals (三官两员一律) help. Failures go on to the mediation ladder."""
        env, rng, p, m = self.env, self.rng, self.p, d.model
        visit = self._visit(d, "enterprise", d.grid, env.now)
        self.log.start(visit, env.now)
        yield env.timeout(float(rng.exponential(self.cfg.settlement.enterprise_days)))
        chance = p.enterprise_settle[m] * (1 + p.legal_support[m]) * calm(self.cfg.settlement.calm_limit - d.intensity)
        if rng.random() < chance:
            self.log.end(visit, "resolved", env.now)
            self.close(d, "resolved", env.now, "enterprise")
            return
        self.log.end(visit, "referred", env.now, TIERS[entry])
        yield from self._mediate(d, entry)

    def _success(self, d: Dispute, tier: int, wait: float, skill: float) -> float:
        """The chance a case settles at a centre, on the log-odds scale (so it never clips).

        The tier's base chance, shifted up by the mediator's skill and the model's actors (legal
        professionals on labour and property cases, joint forestry teams on land, police village
        officials at the village) and down by intensity above 0.5, days waited and the kind's hardness.
        """
        med, p, m = self.cfg.mediation, self.p, d.model
        boost = 0.0
        if d.kind in p.enterprise_kinds:
            boost += p.legal_support[m]
        if d.kind in p.joint_kinds:
            boost += p.joint_handling[m]
        if tier == 0:
            boost += p.police_officials[m]
        penalty = med.intensity_penalty * max(0.0, d.intensity - 0.5) + med.wait_penalty * wait
        z = self.logit_success[tier] + math.log(skill) + boost - penalty - p.kind_hardness[d.kind]
        return 1.0 / (1.0 + math.exp(-z))

    def _police(self, d: Dispute) -> Generator:
        env, rng, p, m, s = self.env, self.rng, self.p, d.model, self.cfg.settlement
        post: PolicePost = self.staff.posts[self.places.township_centre[d.township]]
        visit = self._visit(d, "police", post.township, env.now)
        post.incidents += 1
        km = self.places.km_to_post[d.village] + self.places.grid_km[d.grid]
        called = env.now
        u = rng.random()
        if u < p.village_police[m]:
            # border model: the village's own police official answers, no trip from the post
            post.by_village_officials += 1
            self.log.start(visit, env.now)
            hours = s.village_police_hours + self.places.grid_km[d.grid] / p.police_kmh[m]
            yield env.timeout(hours / 24.0 + s.police_arrival_days)
        else:
            if u < p.village_police[m] + p.mobile_police[m]:
                km *= s.mobile_km_share  # pastoral model: mobile police rooms and mounted teams on patrol
            officer = yield from take(post.officers)  # queues only when all officers are out
            self.log.start(visit, env.now)
            hours = post.response_hours(km, p.police_kmh[m], p.police_dispatch_hours[m])
            hours += 24.0 * (env.now - called)
            yield env.timeout(hours / 24.0 + s.police_arrival_days)
            give(post.officers, officer)
        police = self.cfg.police
        if post.converts(d.intensity, hours, police.criminal_base, police.criminal_per_hour, rng):
            post.criminal += 1
            self.log.end(visit, "failed", env.now)
            self.close(d, "criminal", env.now)
            return
        if rng.random() < p.police_settle[m] * calm(s.police_calm_limit - d.intensity):
            post.settled += 1
            self.log.end(visit, "resolved", env.now)
            self.close(d, "resolved", env.now, "police")
            return
        post.referred += 1
        d.raise_intensity(-s.callout_calming * d.intensity)  # the call-out calms the parties
        # two offices one centre (两所一中心): the post hands the parties to its township's centre
        tier = referral_tier(self.policy.open_tiers, 0)
        self.log.end(visit, "referred", env.now, TIERS[tier])
        yield from self._mediate(d, tier)

    def _court(self, d: Dispute, direct: bool) -> Generator:
        """A filing at the banner's court: pre-suit mediation for a share of direct filings, else (or
        when that fails) a case slot until judgment; the dispute is pending until it closes."""
        env, rng, cp = self.env, self.rng, self.cfg.courts
        court = self.staff.courts[d.banner]
        court.filed += 1
        visit = self._visit(d, "court", d.banner, env.now)
        if direct and rng.random() < cp.referral_share:  # 诉前调解 / 委派调解
            court.referred += 1
            tier = referral_tier(self.policy.open_tiers, self._entry(d))
            self.log.end(visit, "referred", env.now, TIERS[tier])
            if (yield from self._court_mediation(d, tier)):
                court.settled += 1
                return
            visit = self._visit(d, "court", d.banner, env.now)  # back to the court, filed for judgment
        online = bool(rng.random() < cp.online_share)
        km = 0.0 if online else 2 * cp.hearing_trips * (self.places.km_to_centre[d.village, 2]
                                                         + self.places.grid_km[d.grid])
        started = yield from court.judge(judgment_days(rng, cp), online, float(km))
        self.log.start(visit, started)
        self.log.end(visit, "resolved", env.now)
        self.close(d, "litigated", env.now)

    def _court_mediation(self, d: Dispute, tier: int) -> Generator[simpy.Event, object, bool]:
        """Pre-suit mediation at a centre: the case waits for room in a mediator's caseload (up to
        the time limit), who carries it for its days (mean ``courts.referral_days``, cut at the
        limit); True if it settled. A wait that pushes it past the limit sends it back to court."""
        env, rng, cp, med = self.env, self.rng, self.cfg.courts, self.cfg.mediation
        began = env.now
        days = limited_days(rng, cp.referral_days, cp.referral_limit_days)
        centre = self._centre(d, tier)
        visit = self._visit(d, TIERS[tier], centre.place, env.now)
        self.active.add(centre)
        # the centre's serve() stretches work by the mediator's availability: the case lasts ``days``
        result = yield from centre.serve(days * med.availability[tier], cp.referral_limit_days,
                                         partial(self.log.start, visit))
        in_time = env.now - began <= cp.referral_limit_days + 1e-9
        if result.mediator is not None and in_time and rng.random() < cp.referral_success:
            result.mediator.successes += 1
            self.log.end(visit, "resolved", env.now)
            self.close(d, "resolved", env.now, TIERS[tier])
            return True
        self.log.end(visit, "referred", env.now, "court")
        return False

    def _petition(self, d: Dispute) -> Generator:
        """The banner's petition office holds the case for its handling days (within the norm), then
        refers it to the banner centre (交办), where mediation goes on."""
        env, pp = self.env, self.cfg.petitions
        d.petitioned = True
        office = self._visit(d, "petition", d.banner, env.now)
        self.log.start(office, env.now)
        yield env.timeout(limited_days(self.rng, pp.handling_days, pp.limit_days))
        self.log.end(office, "referred", env.now, TIERS[2])
        yield from self._mediate(d, 2)

    # --- closure --------------------------------------------------------------------

    def close(self, d: Dispute, outcome: str, when: float, where: str = "") -> None:
        """Record the outcome; satisfaction falls with time open and with the level reached."""
        if d.outcome != "pending":
            raise ConservationError(f"dispute {d.id} closed twice ({d.outcome}, then {outcome})")
        self.closed[outcome] = self.closed.get(outcome, 0) + 1
        d.outcome = outcome
        d.resolved_tier = where
        d.closed_day = when
        level = LEVEL[where] if outcome == "resolved" else d.level
        if d in self.live:
            self.live_at[d.tier] -= 1
        d.tier = "closed"
        sat = self.cfg.satisfaction
        score = getattr(sat, outcome) - sat.per_day * (when - d.created_day) - sat.per_level * level
        d.satisfaction = min(max(float(score), 0.0), 1.0)
        self.live.discard(d)
        self.population.settle(d.party, d.satisfaction, when)
        self.population.settle(d.other, d.satisfaction, when)
