"""Arrivals: disputes arise in each grid by kind, place, season and shocks, thinned by tension.

Candidates arise as a Poisson process per (grid, kind) at the place's own model's rate and mix
(the place decides what disputes arise, not the governance applied to it, so scenarios compared
with the same seed draw the same candidates: common random numbers); each candidate becomes a
dispute with the chance of its first party's current tension.
"""

from __future__ import annotations

import numpy as np

from sim.agents import ResidentPopulation
from sim.config import Config
from sim.disputes import Dispute, Ledger, seasonality
from sim.mechanisms.catalogue import declare
from sim.mechanisms.governance import ModelTable
from sim.shocks import Shocks
from sim.world.routing import Places

declare("arrivals", "arrival",
        "Dispute candidates arise per grid and kind as a Poisson process (base rate x the place model's "
        "rate x its mix of kinds x the season x shocks); a candidate becomes a dispute with the chance of "
        "its first party's tension; its intensity grows with that tension. A share flare up at once (a "
        "fight): they start at the police threshold.",
        ("disputes.rate_per_10k", "disputes.acute_share", "disputes.police_threshold", "disputes.seasonality", "disputes.kinds.*.season_peak_day",
         "disputes.initial_intensity", "disputes.intensity_noise", "governance.models.*.dispute_rate",
         "governance.models.*.kind_mix", "shocks.epidemic.dispute_rate", "shocks.grazing.factor",
         "shocks.wage_arrears.factor"), "矛盾纠纷")
declare("latent_growth", "detection",
        "An undetected dispute's intensity grows each day by the base rate x its kind's factor x "
        "lognormal noise.",
        ("disputes.growth_per_day", "disputes.kinds.*.growth", "disputes.growth_noise"))


class Arrivals:
    """Draws each day's new disputes into the ledger.

    Args:
        cfg, places, population, p, shocks: the run's parts.
        grid_model: each grid's effective governance model (recorded on the dispute).
        rng: the arrivals stream (used by nothing else).
    """

    def __init__(self, cfg: Config, places: Places, population: ResidentPopulation, p: ModelTable,
                 shocks: Shocks, grid_model: np.ndarray, rng: np.random.Generator) -> None:
        self.cfg, self.places, self.population, self.p = cfg, places, population, p
        self.shocks, self.grid_model, self.rng = shocks, grid_model, rng
        # a grid's rates depend only on its resident count and its place model, and grids share
        # few such pairs (~50 at scale 0.05, ~600 at scale 1): compute rows per pair, copy them out
        pop = population.per_grid
        own = places.grid_own_model
        key = own * (int(pop.max(initial=0)) + 1) + pop
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        self._pairs = (inverse.reshape(-1), pop[first], own[first], np.empty((len(pop), p.kind_mix.shape[1])))

    def _rates(self, day: int) -> np.ndarray:
        d = self.cfg.disputes
        per_model = d.rate_per_10k / 1e4 / 365.0 * self.p.dispute_rate
        per_model_kind = per_model[:, None] * self.p.kind_mix * seasonality(day, d.seasonality, self.p.season_peak)[None, :]
        inverse, residents, models, out = self._pairs
        # candidates are thinned by the drawn party's tension, so inflate by the starting mean
        pair_rates = residents[:, None] * per_model_kind[models] / max(self.population.mean_tension_start, 1e-6)
        lam = np.take(pair_rates, inverse, axis=0, out=out, mode="clip")
        surge = self.shocks.rate_factor(day)
        return lam * surge if surge is not None else lam

    def step(self, day: int, ledger: Ledger) -> list[Dispute]:
        """The day's new disputes (added to ``ledger``)."""
        rng, d, pop = self.rng, self.cfg.disputes, self.population
        lam = self._rates(day)
        # a Poisson count per (grid, kind) cell drawn as its equivalent: one Poisson total shared
        # out over the cells in proportion to their rates (one draw per candidate, not per cell)
        cum = np.cumsum(lam.ravel())
        total = rng.poisson(cum[-1]) if len(cum) else 0
        cells = np.sort(np.searchsorted(cum, rng.random(total) * cum[-1], side="right"))
        grids, kinds = np.divmod(np.minimum(cells, len(cum) - 1), lam.shape[1])
        if len(grids) == 0:
            return []
        # every draw is made for every candidate before thinning, so the stream's position does
        # not depend on residents' tension (which the governance in force feeds back into)
        n = len(grids)
        party = pop.sample_in_grids(grids, rng)
        other = pop.sample_in_grids(grids, rng)
        u, when, noise = rng.random(n), day + rng.random(n), rng.lognormal(0.0, d.intensity_noise, n)
        acute = rng.random(n) < d.acute_share
        tension = pop.tension(party, day)
        keep = u < tension
        grids, kinds, party, other, tension = grids[keep], kinds[keep], party[keep], other[keep], tension[keep]
        intensity = d.initial_intensity * (0.5 + tension) * noise[keep]
        # a flare-up (a fight) starts at the police threshold at least
        intensity = np.where(acute[keep], np.maximum(intensity, d.police_threshold), intensity)
        pl = self.places
        new = []
        # plain Python values column by column (numpy scalars one at a time cost more)
        for gr, kind, village, township, banner, model, t, x, a, b in zip(
                grids.tolist(), kinds.tolist(), pl.grid_village[grids].tolist(), pl.grid_township[grids].tolist(),
                pl.grid_banner[grids].tolist(), self.grid_model[grids].tolist(), when[keep].tolist(),
                intensity.tolist(), party.tolist(), other.tolist()):
            dispute = Dispute(ledger.new_id(), kind, gr, village, township, banner, model, t, x, a, b)
            ledger.add(dispute)
            new.append(dispute)
        return new
