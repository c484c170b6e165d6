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
2. **Strata.** One stratum per (banner, place model), the model of a group being the model of
   most of its residents (ties: the first in the group's table order).
3. **Draw.** Groups are visited in a random order (one uniform key per group, from a stream
   spawned for sampling only, so the same seed picks the same sample whatever else the
   scenario says: common random numbers). A group joins the sample when it brings the
   stratum's sampled population closer to ``scale`` x the stratum's population (ties: it
   joins). So a stratum is sampled, with at least one township, exactly when its smallest
   group holds at most twice its target.
4. **Small strata.** A stratum too small for that is *pooled*: not simulated, its population
   carried by the sampled strata of its banner (their weights grow in proportion); a banner
   with no sampled township is carried by the whole sample. Both are named in ``fidelity``.
5. **Weights.** Each sampled township's weight is the real population it stands for divided by
   its own: the stratum ratio x the banner's pooling factor x the city's pooling factor. Weighted
   populations add up to the city's exactly.
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
        strata: one row per stratum: banner, model, groups, townships, population, target,
            sampled_townships, sampled_population, weight (NaN when pooled).
        banner_weight: per banner, real population / sampled population (NaN when unsampled).
        fidelity: level -> {unit: factor} for every unit not represented faithfully (factor =
            its sampled share / ``scale``; 0 when not sampled); empty when all are.
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
        """The ``sample`` block of a run's summary (plain JSON values)."""
        names = self.world.townships["name"].tolist()
        return {
            "scale": self.scale,
            "population": self.population,
            "share": round(self.share, 6),
            "townships": names,
            "weights": {n: round(float(w), 6) for n, w in zip(names, self.weights)},
            "banner_weights": {n: (None if math.isnan(w) else round(float(w), 6))
                               for n, w in zip(self.world.banners["name"], self.banner_weight)},
        }


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
    group = _centre_groups(t["centre"].to_numpy())
    t_pop = t["population"].to_numpy(np.int64)
    n_groups = int(group.max()) + 1 if len(group) else 0
    g_pop = np.bincount(group, weights=t_pop, minlength=n_groups)
    g_banner = np.zeros(n_groups, dtype=np.int64)
    g_banner[group] = t["banner"].to_numpy()  # a group never spans banners (centres are shared by siblings)
    g_model = _group_models(group, t["model"].tolist(), t_pop, n_groups)
    strata = pd.DataFrame({"banner": g_banner, "model": g_model, "population": g_pop})
    keys = rng.random(n_groups) if scale < 1 else np.zeros(n_groups)
    chosen = np.zeros(n_groups, dtype=bool)
    rows = []
    for (b, m), idx in sorted(strata.groupby(["banner", "model"]).indices.items()):
        target = scale * g_pop[idx].sum()
        taken = 0.0
        for i in idx[np.lexsort((idx, keys[idx]))]:  # random order; ties by table order
            if scale == 1 or abs(taken + g_pop[i] - target) <= abs(taken - target):
                chosen[i] = True
                taken += g_pop[i]
        rows.append({"banner": int(b), "model": m, "groups": len(idx),
                     "townships": int(np.isin(group, idx).sum()), "population": int(g_pop[idx].sum()),
                     "target": target, "sampled_townships": int(np.isin(group, idx[chosen[idx]]).sum()),
                     "sampled_population": int(taken)})
    table = pd.DataFrame(rows)
    table["weight"] = table["population"] / table["sampled_population"].where(table["sampled_population"] > 0)
    kept = np.flatnonzero(chosen[group])
    weights, banner_weight = _weights(world, table, kept, group, g_model)
    sub = world if scale == 1 else _sub_world(world, kept)
    fidelity = _fidelity(world, table, banner_weight, scale, kept)
    return TownshipSample(sub, float(scale), kept, weights, table, banner_weight, fidelity)


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


def _weights(world: World, strata: pd.DataFrame, kept: np.ndarray, group: np.ndarray,
             g_model: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per sampled township its weight, and per banner real / sampled population."""
    t = world.townships
    nb = len(world.banners)
    b_real = np.bincount(t["banner"].to_numpy(), weights=t["population"].to_numpy(float), minlength=nb)
    b_sampled = np.bincount(t["banner"].to_numpy()[kept], weights=t["population"].to_numpy(float)[kept],
                            minlength=nb)
    banner_weight = np.where(b_sampled > 0, b_real / np.where(b_sampled > 0, b_sampled, 1), np.nan)
    if len(kept) == 0:
        return np.zeros(0), banner_weight
    sampled = strata[strata["sampled_population"] > 0]
    covered = np.bincount(sampled["banner"], weights=sampled["population"], minlength=nb)
    # a pooled stratum's people are carried by the sampled strata of its banner
    banner_pool = np.where(covered > 0, b_real / np.where(covered > 0, covered, 1), 0.0)
    # a banner with no sampled township is carried by the whole sample
    city_pool = b_real.sum() / b_real[covered > 0].sum()
    stratum_w = {(int(b), m): w for b, m, w in zip(sampled["banner"], sampled["model"], sampled["weight"])}
    banners = t["banner"].to_numpy()
    w = np.array([stratum_w[(int(banners[i]), g_model[group[i]])] * banner_pool[banners[i]] * city_pool
                  for i in kept])
    return w, banner_weight


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
            out.setdefault("strata", {})[f"{names[r.banner]}/{r.model}"] = round(float(factor), 3)
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
