"""``scale`` as a sample of whole places: a stratified random sample of townships (乡镇街道).

Thinning residents keeps every centre but shrinks its load, so a centre that keeps at least one
mediator is over-staffed and a staffing what-if at small scale answers a different question.
A sample of *whole* townships keeps every local ratio that decides such a what-if (residents per
grid worker, disputes per village mediator, per township centre, per police post): only the
tiers above the township (banner centres, the city centre, courts) see a fraction of their real
flows, and :func:`upper_tier_staff` says how to staff them in proportion.

The rules, in the order they apply:

1. **Units.** A township that shares a neighbour's township centre (``townships.centre``) is
   sampled together with its host and every other guest: the sampling unit is a *centre group*,
   so a simulated centre serves exactly the townships it serves in the city. (Village centres
   are shared only inside a township, so a whole township always has all of its villages'.)
   A group's model is the model of most of its residents (ties: the first in table order).
2. **Strata.** One stratum per (banner, place model) cell that is large enough to be sure of a
   township: its townships' concentration (Herfindahl index, sum of squared population shares)
   is at most ``scale``, i.e. it holds at least ~1/scale townships' worth of people. The
   smaller cells of a model are merged, across banners, into that model's *remainder* stratum
   (named ``rest/<model>``).
3. **Draw.** Within a stratum, groups are laid end to end from the lightest to the heaviest load
   on their village centres (:func:`_centre_load`; ties in a random order) and drawn by
   systematic sampling with probability proportional to population (:func:`_systematic_pps`)
   from a random start. The sample spreads over light and heavy places, holds ``scale`` of the
   stratum's people on average, and estimates a per-resident figure without leaning to small or
   large townships, even from one township. Draws come from a stream spawned for sampling only
   (:func:`sample_stream`): the same seed picks the same sample whatever else the scenario
   says (common random numbers).
4. **Weights.** Each chosen group stands for an equal part of its stratum (Hajek weights; a
   group larger than the sampling interval is taken for certain and stands for itself). A
   remainder stratum too small to be drawn this time is carried by the whole sample. Weighted
   populations add up to the city's exactly. If a tiny ``scale`` draws nothing at all, one
   group is drawn from the whole city with probability proportional to population.
5. **Fidelity.** Strata and banners whose sampled share is off ``scale`` by more than
   :data:`FAITHFUL` (0: not sampled at all), and a sample of one township, are named in
   ``fidelity``; the staffing of the upper tiers adds its own entries (:func:`upper_tier_staff`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.errors import ShouwangError
from sim.world.hierarchy import World

SAMPLE_SPAWN_KEY = 0x5CA1E
"""Spawn key of the sampling stream: a child of the run's SeedSequence that no ``spawn(n)`` of
the model's streams reaches, so adding a stream to the model does not move the sample."""
FAITHFUL = (2 / 3, 3 / 2)
"""A stratum or banner whose sampled share is within this factor of ``scale`` is not flagged
(assumption: one whole township more or less in a stratum of ~5-15 moves its share by this much)."""


@dataclass
class TownshipSample:
    """The sub-world a run at ``scale`` simulates, and what it stands for.

    Attributes:
        world: the sampled townships with all their villages and grids, re-indexed from 0 in
            the city's order; every banner row kept (banner ids stay valid).
        scale: the share asked for.
        townships: indices of the sampled townships in the full world (row ``i`` of
            ``world.townships`` is township ``townships[i]`` of the city).
        weights: per sampled township, the real population it stands for / its own.
        strata: one row per stratum: stratum (``<banner>/<model>`` or ``rest/<model>``), model,
            groups, townships, population, target, sampled_townships, sampled_population,
            weight (population / sampled population; NaN when none was drawn).
        banner_weight: per banner, real population / sampled population (NaN when unsampled).
        fidelity: level -> {unit: factor} for every unit not represented faithfully (factor =
            its sampled share / ``scale``; 0 when not sampled; for the upper tiers that
            sim.staffing adds, ``banner_centres``, ``city_workstations`` and ``courts``, the
            exact staff in persons, below one); empty when all are.
    """

    world: World
    scale: float
    townships: np.ndarray
    weights: np.ndarray
    strata: pd.DataFrame
    banner_weight: np.ndarray
    fidelity: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def population(self) -> int:
        """The real population the sample stands for (the whole city's)."""
        return int(self.strata["population"].sum())

    @property
    def share(self) -> float:
        """The sampled share of the city's population (close to, not equal to, ``scale``)."""
        return float(self.world.grids["population"].sum() / self.population)

    def per_10k(self, by_township: np.ndarray) -> float:
        """A count per sampled township, weighted to the city, per 10,000 of its residents."""
        return 1e4 * float(np.dot(self.weights, np.asarray(by_township, float))) / self.population

    def weighted_mean(self, means: np.ndarray, n: np.ndarray) -> float:
        """The city's mean of a per-case figure from per-township means over ``n`` cases each."""
        n_w = self.weights * np.asarray(n, float)
        total = float(n_w.sum())
        return float(np.dot(n_w, np.asarray(means, float)) / total) if total > 0 else 0.0

    def banner_share(self) -> np.ndarray:
        """Per banner, the sampled share of its population: what its banner centre and court see."""
        w = self.banner_weight
        return np.where(np.isnan(w), 0.0, 1.0 / np.where(np.isnan(w), 1.0, w))

    def grid_weights(self) -> np.ndarray:
        """Per grid of :attr:`world`, the weight of its township (to weight any per-place count)."""
        return self.weights[self.world.grids["township"].to_numpy()]

    def to_dict(self) -> dict:
        """The ``sample`` block of a run's summary (plain JSON values); the lists only below scale 1."""
        out: dict = {"scale": self.scale, "population": self.population, "share": round(self.share, 6),
                     "n_townships": len(self.townships)}
        if self.scale < 1:
            names = self.world.townships["name"].tolist()
            out["townships"] = names
            out["weights"] = {n: round(float(w), 6) for n, w in zip(names, self.weights)}
            out["banner_weights"] = {n: (None if math.isnan(w) else round(float(w), 6))
                                     for n, w in zip(self.world.banners["name"], self.banner_weight)}
        return out


def sample_stream(seed: int) -> np.random.Generator:
    """The sampling stream of a run's seed, independent of the model's spawned streams."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(SAMPLE_SPAWN_KEY,)))


def sample_townships(world: World, scale: float, rng: np.random.Generator) -> TownshipSample:
    """A stratified random sample of whole townships holding about ``scale`` of the population.

    Args:
        world: the full city.
        scale: the share of the population to simulate, 0 < scale <= 1; 1 returns ``world``
            itself (every township, weight 1).
        rng: the sampling stream (:func:`sample_stream`); not drawn from when ``scale`` is 1.

    Raises:
        ShouwangError: ``scale: must be in (0, 1], got <value>``.
    """
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and 0 < scale <= 1):
        raise ShouwangError(f"scale: must be in (0, 1], got {scale}")
    t = world.townships
    t_pop = t["population"].to_numpy(np.int64)
    group = _centre_groups(t["centre"].to_numpy())
    n_groups = int(group.max()) + 1 if len(group) else 0
    g_pop = np.bincount(group, weights=t_pop, minlength=n_groups)
    g_banner = np.zeros(n_groups, dtype=np.int64)
    g_banner[group] = t["banner"].to_numpy()  # a group never spans banners (centres are shared by siblings)
    g_model = _group_models(group, t["model"].tolist(), t_pop, n_groups)
    label = _strata(world.banners["name"].tolist(), g_banner, g_model, g_pop, scale)
    g_load = _centre_load(world, group, n_groups)
    cells = sorted(set(label), key=lambda c: (c.startswith("rest/"), c))
    # every draw is made up front, so the stream's position depends only on the world
    keys = rng.random(n_groups) if scale < 1 else np.zeros(n_groups)
    starts = rng.random(len(cells)) if scale < 1 else np.zeros(len(cells))
    fallback = rng.random() if scale < 1 else 0.0
    chosen = np.zeros(n_groups, dtype=bool)
    stands = np.zeros(n_groups)  # population each chosen group stands for in its stratum
    rows = []
    for cell, u in zip(cells, starts):
        idx = np.flatnonzero(label == cell)
        order = idx[np.lexsort((idx, keys[idx], g_load[idx]))]  # light to heavy centres
        hit, stand = _systematic_pps(g_pop[order], scale * g_pop[idx].sum(), float(u))
        chosen[order], stands[order] = hit, stand
        if hit.any():  # Hajek: the chosen stand for the whole stratum between them
            stands[order[hit]] *= g_pop[idx].sum() / stands[order[hit]].sum()
        members = np.isin(group, idx)
        rows.append({"stratum": cell, "model": g_model[idx[0]], "groups": len(idx),
                     "townships": int(members.sum()), "population": int(g_pop[idx].sum()),
                     "target": scale * g_pop[idx].sum(),
                     "sampled_townships": int((members & chosen[group]).sum()),
                     "sampled_population": int(g_pop[order][hit].sum())})
    if not chosen.any() and n_groups:  # a tiny scale drew nothing: one group, chosen by population
        one = min(int(np.searchsorted(np.cumsum(g_pop), fallback * g_pop.sum(), side="right")), n_groups - 1)
        chosen[one], stands[one] = True, g_pop.sum()
        row = next(r for r in rows if r["stratum"] == label[one])
        row["sampled_townships"], row["sampled_population"] = int((group == one).sum()), int(g_pop[one])
    table = pd.DataFrame(rows)
    table["weight"] = table["population"] / table["sampled_population"].where(table["sampled_population"] > 0)
    kept = np.flatnonzero(chosen[group])
    own = np.divide(stands, g_pop, out=np.zeros(n_groups), where=g_pop > 0)[group[kept]]
    # a stratum not drawn this time (a small remainder) is carried by the whole sample
    weights = own * (g_pop.sum() / np.dot(own, t_pop[kept])) if len(kept) else own
    banner_weight = _banner_weight(world, kept)
    sub = world if scale == 1 else _sub_world(world, kept)
    fidelity = _fidelity(world, table, banner_weight, scale, kept)
    return TownshipSample(sub, float(scale), kept, weights, table, banner_weight, fidelity)


def _centre_load(world: World, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, the population of the village centre its average resident is served by.

    Disputes per village mediator decide most staffing what-ifs, and it varies most between
    townships (big urban communities against small pastoral gacha); ordering a stratum by it
    before a systematic draw spreads the sample over light and heavy places (implicit
    stratification), which at 0.3 roughly halves the spread of a sampled run's centre load.
    """
    v = world.villages
    centre = v["centre"].to_numpy()
    pop = v["population"].to_numpy(float)
    load = np.bincount(centre, weights=pop, minlength=len(v))[centre]  # each village's centre's
    g = group[v["township"].to_numpy()]
    num = np.bincount(g, weights=pop * load, minlength=n_groups)
    den = np.bincount(g, weights=pop, minlength=n_groups)
    return np.divide(num, den, out=np.zeros(n_groups), where=den > 0)


def _strata(banner_names: list[str], banner: np.ndarray, model: list[str], pop: np.ndarray,
            scale: float) -> np.ndarray:
    """Stratum label per group: ``<banner>/<model>`` if the cell is large enough, else ``rest/<model>``."""
    cell = [f"{banner_names[b]}/{m}" for b, m in zip(banner.tolist(), model)]
    out = np.array(cell, dtype=object)
    for c in set(cell):
        idx = np.flatnonzero(out == c)
        share = pop[idx] / pop[idx].sum() if pop[idx].sum() > 0 else np.ones(len(idx))
        if float((share ** 2).sum()) > scale:  # fewer than ~1/scale townships' worth of people
            out[idx] = f"rest/{model[idx[0]]}"
    return out


def _systematic_pps(size: np.ndarray, target: float, u: float) -> tuple[np.ndarray, np.ndarray]:
    """Systematic sampling with probability proportional to size, expected total ``target``.

    Units in the given (random) order are laid end to end; points ``(u + k) * I`` pick the
    units they fall in, so a unit is chosen with probability ``size / I`` (any unit of at
    least ``I`` is taken for certain), and ``I`` is set so the chosen sizes add up to
    ``target`` on average. A per-resident figure of the stratum is then estimated without a
    lean towards small or large townships, even from one township. Each chosen unit stands
    for ``I`` residents of the stratum (a certain one for itself).

    Returns:
        (chosen, stands_for) per unit.
    """
    size = size.astype(float)
    chosen = np.zeros(len(size), dtype=bool)
    stands = np.zeros(len(size))
    if target >= size.sum():
        return np.ones(len(size), dtype=bool), size.copy()
    certain = np.zeros(len(size), dtype=bool)
    interval = math.inf
    for j in np.argsort(-size, kind="stable"):  # largest first: certain while at least I
        rest = target - size[certain].sum()
        interval = float((size[~certain] ** 2).sum() / rest) if rest > 0 else math.inf
        if size[j] < interval:
            break
        certain[j] = True
    chosen[certain], stands[certain] = True, size[certain]
    others = np.flatnonzero(~certain)
    ends = np.cumsum(size[others])
    if math.isfinite(interval) and len(others):
        points = (u + np.arange(math.ceil(ends[-1] / interval) + 1)) * interval
        picked = np.unique(np.searchsorted(ends, points[points < ends[-1]], side="right"))
        chosen[others[picked]] = True
        stands[others[picked]] = interval
    return chosen, stands


def _centre_groups(centre: np.ndarray) -> np.ndarray:
    """Group id per township: townships served by one township centre form one group."""
    roots = centre.copy()
    for _ in range(len(roots)):  # follow host -> host's host (one step in built worlds)
        nxt = roots[roots]
        if np.array_equal(nxt, roots):
            break
        roots = nxt
    _, ids = np.unique(roots, return_inverse=True)
    return ids.reshape(-1)


def _group_models(group: np.ndarray, models: list[str], pop: np.ndarray, n: int) -> list[str]:
    """The model of most of each group's residents (ties: first in table order)."""
    best: list[tuple[float, str]] = [(-1.0, "")] * n
    totals: dict[tuple[int, str], float] = {}
    for g, m, p in zip(group.tolist(), models, pop.tolist()):
        totals[(g, m)] = totals.get((g, m), 0.0) + p
    for (g, m), p in totals.items():  # dict order = first appearance, so ties keep the first
        if p > best[g][0]:
            best[g] = (p, m)
    return [m for _, m in best]


def _banner_weight(world: World, kept: np.ndarray) -> np.ndarray:
    """Per banner, real / sampled population (NaN where no township of it was sampled)."""
    t = world.townships
    nb = len(world.banners)
    banners = t["banner"].to_numpy()
    pop = t["population"].to_numpy(float)
    real = np.bincount(banners, weights=pop, minlength=nb)
    sampled = np.bincount(banners[kept], weights=pop[kept], minlength=nb)
    return np.where(sampled > 0, real / np.where(sampled > 0, sampled, 1), np.nan)


def _sub_world(world: World, kept: np.ndarray) -> World:
    """The kept townships with all their villages and grids, every index re-numbered."""
    t_new = np.full(len(world.townships), -1, dtype=np.int64)
    t_new[kept] = np.arange(len(kept))
    townships = world.townships.iloc[kept].reset_index(drop=True)
    townships["centre"] = t_new[townships["centre"].to_numpy()]
    v = world.villages
    v_keep = np.flatnonzero(t_new[v["township"].to_numpy()] >= 0)
    v_new = np.full(len(v), -1, dtype=np.int64)
    v_new[v_keep] = np.arange(len(v_keep))
    villages = v.iloc[v_keep].reset_index(drop=True)
    villages["township"] = t_new[villages["township"].to_numpy()]
    villages["centre"] = v_new[villages["centre"].to_numpy()]
    g = world.grids
    grids = g.iloc[np.flatnonzero(v_new[g["village"].to_numpy()] >= 0)].reset_index(drop=True)
    grids["village"] = v_new[grids["village"].to_numpy()]
    grids["township"] = t_new[grids["township"].to_numpy()]
    if (townships["centre"] < 0).any() or (villages["centre"] < 0).any():
        raise AssertionError("a sampled unit's centre is outside the sample (centre groups broken)")
    return World(world.name, world.banners.copy(), townships, villages, grids, world.city_lat, world.city_lon)


def _fidelity(world: World, strata: pd.DataFrame, banner_weight: np.ndarray, scale: float,
              kept: np.ndarray) -> dict[str, dict[str, float]]:
    """Units whose sampled share is off ``scale`` by more than :data:`FAITHFUL` (factor = share / scale)."""
    if scale == 1:
        return {}
    low, high = FAITHFUL
    names = world.banners["name"].tolist()
    out: dict[str, dict[str, float]] = {}
    for r in strata.itertuples():
        factor = r.sampled_population / r.population / scale
        if not low <= factor <= high:
            out.setdefault("strata", {})[r.stratum] = round(float(factor), 3)
    for b, w in enumerate(banner_weight):
        factor = 0.0 if math.isnan(w) else 1.0 / w / scale
        if not low <= factor <= high:
            out.setdefault("banners", {})[names[b]] = round(float(factor), 3)
    if len(kept) <= 1:
        out["sample"] = {"townships": float(len(kept))}
    return out


def upper_tier_staff(whole: int, share: float) -> tuple[int, float]:
    """Whole staff and the session-time factor that give an upper-tier centre ``whole * share``.

    A banner centre, a city workstation or a court sees only ``share`` of its real flows (the
    sampled share of the population it serves); ``whole`` is its staff at scale 1. It gets the
    nearest whole number of people to ``whole * share``, at least one; when that is not exact,
    each session (or case) takes ``staff / exact`` times as long, so the centre's capacity
    (people / mean session time) is exactly proportional to its flows. What this cannot keep is
    the number of parallel servers: one slow mediator queues more than eight quick ones at the
    same utilisation; the caller names such centres (``exact`` below one person) in ``fidelity``.
    At ``share`` 1 the staff is ``whole`` and the factor 1: scale 1 is untouched. A centre no
    sampled place sends anything to (``share`` 0) keeps one idle person.

    Returns:
        (staff, time_factor): whole people, and the factor on their session times.
    """
    if share >= 1:
        return whole, 1.0
    exact = whole * share
    if exact <= 0:
        return 1, 1.0
    staff = max(1, round(exact))
    return staff, staff / exact
