"""The Mesa model: one step is one day; SimPy runs the day's continuous time inside it.

Mesa owns who and where (residents, grid workers, mediators, police posts, courts on the
hierarchy); SimPy owns when and how long (queues, sessions, travel, response). Daily routines
over millions of residents are array work; per-dispute behaviour is per-agent Python.
"""

from __future__ import annotations

from dataclasses import replace

import mesa
import numpy as np
import simpy

from sim.agents import Court, GridWorkforce, PolicePost, ResidentPopulation
from sim.config import KINDS, PLACE_MODELS, TIERS, Config, ModelParams
from sim.disputes import DETECTED_BY, GROWTH, Dispute, LatentPool, Ledger, seasonality
from sim.errors import ConservationError
from sim.flow import DisputeFlow, Places, Staff
from sim.mediation import COLUMNS, ROWS, Tally, city_workstations, staff_centres
from sim.planning import banner_index, staff_plan, thin_village_centres
from sim.shocks import Shocks
from sim.world import World, build_city
from sim.world.geo import road_km

HOUSEHOLD_SIZE = 2.6
CHANNELS = DETECTED_BY[:5] + ("village_police",)
"""Detection channels in the order of the columns of :meth:`ShouwangModel._latent`."""
STREAMS = ("world", "arrivals", "behaviour", "service")
"""Independent random streams spawned from the run's seed: two scenarios with the same seed
share their world and their arrivals (common random numbers)."""


class ShouwangModel(mesa.Model):
    """A simulated city: build with a :class:`Config`, call :meth:`step` once per day.

    Attributes:
        world: the hierarchy (:class:`~sim.world.World`).
        population: residents' state arrays.
        ledger: every dispute created so far.
        daily: one dict per (day, row) of the daily table.
    """

    def __init__(self, cfg: Config, world: World | None = None) -> None:
        seq = np.random.SeedSequence(cfg.seed)
        streams = dict(zip(STREAMS, (np.random.default_rng(s) for s in seq.spawn(len(STREAMS)))))
        super().__init__(rng=streams["behaviour"])
        self.cfg = cfg
        self.streams = streams
        self.day = 0
        self.world = world if world is not None else build_city(cfg.city, streams["world"])
        self.env = simpy.Environment()
        self._grid_models()
        self._params()
        g = self.world.grids
        # fraud awareness starts where the campaign has (or has not yet) brought it (calibrated)
        residents = replace(cfg.residents, awareness_mean=cfg.residents.awareness_mean
                            * cfg.governance.fraud_awareness_factor)
        self.population = ResidentPopulation(g["population"].to_numpy(), cfg.scale, residents, streams["world"])
        self._staff()
        self.ledger = Ledger()
        self.latent = LatentPool()
        self.tally = Tally.empty()
        self.flow = DisputeFlow(self, self.env, cfg, self.places, self.staff, self.population,
                                self.p, self.tally, streams["service"])
        self.daily: list[dict] = []
        self.fraud_cases = 0
        self.created = 0  # disputes created, counted apart from the ledger and the closures
        self.diverted = 0.0  # share of grid workers' time diverted to emergency duty (set by hand)
        self.shocks = Shocks(cfg.shocks, self.place_model)  # epidemic diversion, dispute surges
        self.util_samples = np.zeros(len(TIERS))
        # derived once, on first use (they depend only on the built world and the staff)
        self._cell_pairs: tuple | None = None  # see _cell_rates
        self._visit_plan: tuple | None = None  # see _visits
        self._all_grids_peopled = bool(self.population.per_grid.all())
        self._fraud_today = 0
        self._ledger_mark = 0

    # --- construction ---------------------------------------------------------------

    def _grid_models(self) -> None:
        """Each grid's effective model: its own (classified), one for all, or a banner's override."""
        g = self.world.grids
        gov = self.cfg.governance
        code = {m: i for i, m in enumerate(PLACE_MODELS)}
        models = g["model"].map(code).to_numpy(np.int64, copy=True)  # writable (copy-on-write)
        self.place_model = models.copy()  # the place's own model: what disputes arise there
        if gov.apply != "classified":
            models[:] = code[gov.apply]
        b = self.world.banners
        for key, model in gov.banner_models.items():
            i = banner_index(b, key, "governance.banner_models")
            models[g["banner"].to_numpy() == i] = code[model]
        self.grid_model = models

    def _params(self) -> None:
        """Per-model parameter arrays (index = model code) and the kind mix matrix."""
        models = [self.cfg.governance.models[m] for m in PLACE_MODELS]
        self.p = {f: np.array([getattr(mp, f) for mp in models], dtype=float)
                  for f in ModelParams.__dataclass_fields__ if f != "kind_mix"}
        mix = np.array([[mp.kind_mix.get(k, 0.0) for k in KINDS] for mp in models], dtype=float)
        self.kind_mix = mix / mix.sum(axis=1, keepdims=True)

    def _staff(self) -> None:
        cfg, w, rng = self.cfg, self.world, self.streams["world"]
        s, med = cfg.staffing, cfg.mediation
        g, v, t = w.grids, w.villages, w.townships
        plan = staff_plan(cfg, w)  # by-model, by-banner and reform factors (sim.planning)
        fte = s.grid_workers_per_grid * cfg.scale * plan.grid_workers
        self.workforce = GridWorkforce(self, fte, g["township"].to_numpy(), rng)
        centres = []
        for tier, n, per in ((0, len(v), s.mediators.village * plan.village),
                             (1, len(t), s.mediators.township * plan.township),
                             (2, len(w.banners), s.mediators.banner * plan.banner)):
            centres.append(staff_centres(self, self.env, tier, n, per, cfg.scale,
                                         med.availability[tier], med.skill[tier], rng))
        # units that share a neighbour's centre get no staff of their own: keep only hosts
        v_centre = thin_village_centres(v, v["centre"].to_numpy(), cfg.governance.village_centre_share, rng)
        t_centre = t["centre"].to_numpy()
        for i in np.flatnonzero(v_centre != np.arange(len(v))):
            for m in centres[0][i].mediators:
                m.remove()
        for i in np.flatnonzero(t_centre != np.arange(len(t))):
            for m in centres[1][i].mediators:
                m.remove()
        weights = self.kind_mix[self.place_model].T @ g["population"].to_numpy(float)
        stations, by_kind = city_workstations(self, self.env, s.mediators.city, cfg.scale, weights,
                                              med.availability[3], med.skill[3], rng)
        posts = {int(c): PolicePost(self, self.env, int(c),
                                    max(1, round(s.police_officers_per_post * cfg.scale * plan.police[c])))
                 for c in np.unique(t_centre)}
        courts = [Court(self, self.env, b, round(s.judges_per_court * cfg.scale) * 15)
                  for b in range(len(w.banners))]
        self.staff = Staff(centres[0], centres[1], centres[2], stations, by_kind, posts, courts, self.workforce)
        self.n_centres = {"village": int(len(np.unique(v_centre))), "township": int(len(np.unique(t_centre))),
                          "banner": len(w.banners), "city": 1}
        self.n_mediators = {
            "village": sum(centres[0][i].capacity for i in np.unique(v_centre)),
            "township": sum(centres[1][i].capacity for i in np.unique(t_centre)),
            "banner": sum(c.capacity for c in centres[2]),
            "city": sum(c.capacity for c in stations),
        }
        # road km from each village to the centre of each tier
        vt = v["township"].to_numpy()
        tb = t["banner"].to_numpy()
        lat, lon = v["lat"].to_numpy(), v["lon"].to_numpy()
        to_own_village_centre = road_km(lat, lon, lat[v_centre], lon[v_centre])
        t_lat, t_lon = t["lat"].to_numpy(), t["lon"].to_numpy()
        to_township_centre = road_km(lat, lon, t_lat[t_centre[vt]], t_lon[t_centre[vt]])
        to_banner = v["km_to_township"].to_numpy() + t["km_to_banner"].to_numpy()[vt]
        to_city = to_banner + w.banners["km_to_city"].to_numpy()[tb[vt]]
        self.places = Places(
            grid_village=g["village"].to_numpy(), grid_township=g["township"].to_numpy(),
            grid_banner=g["banner"].to_numpy(), grid_model=self.grid_model,
            grid_km=g["km_to_village"].to_numpy(), village_centre=v_centre, township_centre=t_centre,
            km_to_centre=np.column_stack([to_own_village_centre, to_township_centre, to_banner, to_city]),
            km_to_post=to_township_centre,
        )
        self._centres_by_tier = [
            [centres[0][i] for i in np.unique(v_centre)],
            [centres[1][i] for i in np.unique(t_centre)],
            centres[2],
            stations,
        ]
        self.households = np.maximum(self.population.per_grid / HOUSEHOLD_SIZE, 1.0)
        # staff stay put through a run (a new staffing is a new model)
        self._centre_staff = [sum(len(c.mediators) for c in self._live_centres(t)) for t in range(len(TIERS))]
        self._centre_cap = np.maximum(np.array(self._centre_staff, dtype=float), 1)

    # --- the day --------------------------------------------------------------------

    def step(self) -> None:
        """One day: disputes arise and grow, grid workers visit, fraud, then the day's queues run."""
        day = self.day
        self._arrivals(day)
        coverage = self._visits(day)
        self._latent(day, coverage)
        self._fraud(day)
        self.env.run(until=day + 1)
        self._record(day)
        self.day += 1

    def _arrivals(self, day: int) -> None:
        rng, d = self.streams["arrivals"], self.cfg.disputes
        pop = self.population
        # rates and kinds belong to the place (its own model), not to the governance applied, so
        # scenarios compared with the same seed draw the same candidates (common random numbers)
        rate = d.rate_per_10k / 1e4 / 365.0 * self.p["dispute_rate"]  # per model
        # candidates are thinned by the drawn party's tension, so inflate by the starting mean
        per_model_kind = rate[:, None] * self.kind_mix * seasonality(day, d.seasonality)[None, :]
        lam = self._cell_rates(per_model_kind, max(pop.mean_tension_start, 1e-6))
        surge = self.shocks.rate_factor(day)
        if surge is not None:
            lam = lam * surge
        # a Poisson count per grid and kind, drawn as its equivalent: one Poisson total shared
        # out over the cells in proportion to their rates (one draw per candidate instead of
        # one per cell: ~56,000 cells a day, a few hundred candidates)
        cum = np.cumsum(lam.ravel())
        total = rng.poisson(cum[-1]) if len(cum) else 0
        cells = np.sort(np.searchsorted(cum, rng.random(total) * cum[-1], side="right"))
        grids, kinds = np.divmod(np.minimum(cells, len(cum) - 1), lam.shape[1])
        if len(grids) == 0:
            return
        # every draw is made for every candidate before thinning, so the stream's position does
        # not depend on residents' tension (which the governance in force feeds back into)
        n = len(grids)
        party = pop.sample_in_grids(grids, rng)
        other = pop.sample_in_grids(grids, rng)
        u, when, noise = rng.random(n), day + rng.random(n), rng.lognormal(0.0, 0.3, n)
        tension = pop.tension(party, day)
        keep = u < tension
        grids, kinds, party, other, tension = grids[keep], kinds[keep], party[keep], other[keep], tension[keep]
        when, noise = when[keep], noise[keep]
        intensity = d.initial_intensity * (0.5 + tension) * noise
        pl = self.places
        new = []
        # plain Python values column by column (numpy scalars one at a time cost more)
        for gr, kind, village, township, banner, model, t, x, a, b in zip(
                grids.tolist(), kinds.tolist(), pl.grid_village[grids].tolist(), pl.grid_township[grids].tolist(),
                pl.grid_banner[grids].tolist(), self.grid_model[grids].tolist(), when.tolist(),
                intensity.tolist(), party.tolist(), other.tolist()):
            dispute = Dispute(self.ledger.new_id(), kind, gr, village, township, banner, model, t, x, a, b)
            self.ledger.add(dispute)
            new.append(dispute)
        self.created += len(new)
        self.latent.add(new)

    def _cell_rates(self, per_model_kind: np.ndarray, mean_tension: float) -> np.ndarray:
        """Each (grid, kind) cell's candidate rate today: residents x their place's rate / mean tension.

        A grid's row depends only on its resident count and its place model, and grids share
        few such pairs (~50 at scale 0.05, ~600 at scale 1), so the rows are computed once per
        pair and copied out: the same products in the same order, so the same floats.
        """
        if self._cell_pairs is None:  # (pair of each grid, residents, model)
            pop = self.population.per_grid
            key = self.place_model * (int(pop.max(initial=0)) + 1) + pop
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            self._cell_pairs = (inverse.reshape(-1), pop[first], self.place_model[first],
                                np.empty((len(pop), per_model_kind.shape[1])))
        inverse, residents, models, out = self._cell_pairs
        pair_rates = residents[:, None] * per_model_kind[models] / mean_tension
        return np.take(pair_rates, inverse, axis=0, out=out, mode="clip")  # valid indices: no buffering

    def _visits(self, day: int) -> np.ndarray:
        """Grid workers' household visits: returns each grid's share of households seen today."""
        s = self.cfg.staffing
        rng = self.streams["behaviour"]
        diverted = max(self.diverted, self.shocks.diverted(day))  # epidemic: emergency duty
        campaign = float(self.cfg.governance.anti_fraud_campaign)
        key = (s.visits_per_worker_day, s.duty_load, diverted, campaign)
        if self._visit_plan is None or self._visit_plan[0] != key:  # the same every day outside an epidemic
            visits = self.workforce.visits(s.visits_per_worker_day, s.duty_load, diverted)
            self._visit_plan = (key, np.minimum(visits / self.households, 1.0), visits * campaign)
        _, coverage, talks = self._visit_plan
        # anti-fraud talks reach the visited households (one resident each) while the campaign runs
        n = rng.poisson(talks)
        per_grid = self.population.per_grid
        grids = np.repeat(np.arange(len(n)), n)
        if not self._all_grids_peopled:  # below scale ~0.01 some grids have no simulated resident
            grids = grids[per_grid[grids] > 0]
        if len(grids):
            who = self.population.sample_in_grids(grids, rng)
            boost = self.p["fraud_awareness_visit"][self.grid_model[grids]]
            self.population.raise_awareness(who, boost, day)
        return coverage

    def _latent(self, day: int, coverage: np.ndarray) -> None:
        pool = self.latent
        if len(pool) == 0:
            return
        rng, d, p = self.streams["behaviour"], self.cfg.disputes, self.p
        m = pool.model
        pool.intensity = pool.intensity + d.growth_per_day * GROWTH[pool.kind] * rng.lognormal(0, 0.5, len(pool))
        x = pool.intensity
        visible = np.minimum(np.maximum(0.3 + 0.7 * x, 0.0), 1.0)  # np.clip's values, without its overhead
        trust = self.population.trust[pool.party]
        propensity = self.population.propensity[pool.party]
        police_grid = p["police_grid"][m] * (x > 0.6) * float(self.cfg.governance.police_grid_integration)
        probs = np.column_stack([
            coverage[pool.grid] * 0.7 * visible,  # grid_worker
            p["neighbour_detection"][m] * visible,  # neighbour head / herder sentinel
            p["tech_detection"][m] * visible,  # tech platforms
            police_grid,  # grid + police grid
            d.self_report * trust * propensity * 2 * np.minimum(x, 1.5),  # self_report
            p["village_police"][m] * p["village_police_detection"][m] * visible,  # police "village official"
        ])
        miss = np.prod(1 - np.minimum(np.maximum(probs, 0.0), 1.0), axis=1)
        u = rng.random(len(pool))
        found = u < 1 - miss
        boiling = ~found & (x >= d.police_threshold)
        if found.any():
            share = probs[found] / probs[found].sum(axis=1, keepdims=True)
            pick = (share.cumsum(axis=1) < rng.random(found.sum())[:, None]).sum(axis=1)
            pick = np.minimum(pick, probs.shape[1] - 1)
            for dispute, who in zip(pool.take(found), pick):
                self.flow.detected(dispute, CHANNELS[who], day)
            boiling = boiling[~found]
        if boiling.any():
            for dispute in pool.take(boiling):
                self.flow.incident(dispute, day)

    def _fraud(self, day: int) -> None:
        f, pop = self.cfg.fraud, self.population
        rng = self.streams["behaviour"]
        self._fraud_today = 0
        if pop.n == 0:
            return
        if self.cfg.governance.anti_fraud_campaign:
            reach = rng.poisson(pop.n * f.campaign_reach_per_10k_day / 1e4)
            pop.raise_awareness(rng.integers(0, pop.n, reach), f.campaign_boost, day)
        attempts = rng.poisson(pop.n * f.attempts_per_10k_day / 1e4)
        targets = rng.integers(0, pop.n, attempts)
        hit = rng.random(attempts) < f.success * (1 - pop.fraud_awareness(targets, day))
        victims = targets[hit]
        self.fraud_cases += len(victims)
        self._fraud_today = len(victims)
        if len(victims):
            pop.trust[victims] *= 0.95
            pop.raise_awareness(victims, 0.5, day)

    def _record(self, day: int) -> None:
        cap = self._centre_staff
        # only centres used since they were last idle can be busy or have a queue (of ~1,300)
        busy, queue = [0] * len(TIERS), [0] * len(TIERS)
        idle: list = []
        for c in self.flow.touched:
            free, waiting = len(c.store.items), len(c.store.get_queue)
            busy[c.tier] += len(c.mediators) - free
            queue[c.tier] += waiting
            if free == len(c.mediators) and not waiting:
                idle.append(c)
        self.flow.touched.difference_update(idle)
        self.util_samples += np.array(busy, dtype=float) / self._centre_cap
        where: dict[str, int] = {}
        for dispute in self.flow.live:
            where[dispute.tier] = where.get(dispute.tier, 0) + 1
        for row, counts in zip(ROWS, self.tally.today.tolist()):
            rec = {"day": day, "tier": row}
            rec.update(zip(COLUMNS, counts))
            t = TIERS.index(row) if row in TIERS else -1
            rec["queue_length"] = queue[t] if t >= 0 else 0
            rec["in_service"] = busy[t] if t >= 0 else 0
            rec["mediators"] = cap[t] if t >= 0 else 0
            rec["live"] = where.get(row, 0)
            self.daily.append(rec)
        self.daily.append({"day": day, "tier": "system", "arrivals": int(self._created_today()),
                           "resolved": 0, "escalated": 0, "withdrawn": 0, "litigated": 0, "criminal": 0,
                           "queue_length": len(self.latent), "in_service": 0, "mediators": 0,
                           "live": len(self.flow.live), "fraud_cases": self._fraud_today})
        self.tally.today[:] = 0

    def _created_today(self) -> int:
        n = len(self.ledger)
        before, self._ledger_mark = self._ledger_mark, n
        return n - before

    def _live_centres(self, tier: int) -> list:
        """The centres of a tier that exist (units sharing a neighbour's centre have none)."""
        return self._centres_by_tier[tier]

    # --- the end --------------------------------------------------------------------

    def finish(self) -> dict[str, int]:
        """Close the books: check conservation, return the outcome counts.

        Three independent books must agree: disputes created (counted at arrival), closures
        by outcome (counted by the flow) plus pending (latent or live now), and the ledger.

        Raises:
            ConservationError: if any two disagree.
        """
        self.latent.sync()
        counts = {k: int(self.flow.closed.get(k, 0)) for k in ("resolved", "litigated", "criminal", "withdrawn")}
        counts["pending"] = len(self.latent) + len(self.flow.live)
        check_conservation(self.created, counts)
        ledger = self.ledger.counts()
        if ledger != counts or len(self.ledger) != self.created:
            raise ConservationError(f"ledger {ledger} of {len(self.ledger)} disputes disagrees with the flow {counts}")
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
