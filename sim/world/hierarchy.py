"""The governance hierarchy: city -> banners -> townships -> villages/communities -> grids.

A builder turns a *township plan* (one row per township: its banner, kind, model and how many
residents' committees and village committees it holds) into a :class:`World`: a networkx tree
plus flat tables that the model reads as arrays. Populations, grids and positions inside a banner
are not published, so they are allocated here: populations by weights with seeded noise, grids by
population with at least one per village or community (the article's 6,997 grids in all).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import pandas as pd

from sim.world.apportion import apportion
from sim.world.geo import road_km, scatter

LEVELS = ("city", "banner", "township", "village", "grid")

# Population weights by township kind: streets (街道) are dense urban units, towns (镇) mixed,
# sumu/xiang (苏木/乡) sparse rural or pastoral units.
KIND_WEIGHT = {"street": 3.0, "town": 2.0, "sumu": 1.0}
URBAN_DENSITY_PER_KM2 = 6000.0  # areas of streets and communities follow from their population


@dataclass
class World:
    """A built hierarchy: one table per level (row order = array index) and the graph.

    Tables: ``banners`` (code, name, name_zh, model, population, area_km2, lat, lon,
    km_to_city); ``townships`` (banner, name, kind, model, population, area_km2, lat, lon,
    km_to_banner, centre: index of the township whose centre serves it); ``villages``
    (township, banner, name, kind, model, population, area_km2, lat, lon, km_to_township,
    centre); ``grids`` (village, township, banner, model, population, km_to_village).
    The networkx tree (:attr:`graph`) is built from the tables when first read: a run reads
    only the tables, and the graph's ~8,300 nodes cost more than the rest of the world.
    """

    name: str
    banners: pd.DataFrame
    townships: pd.DataFrame
    villages: pd.DataFrame
    grids: pd.DataFrame
    city_lat: float
    city_lon: float

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The tree city -> banners -> townships -> villages -> grids (node attributes as in :func:`_graph`)."""
        return _graph(self.name, self.banners, self.townships, self.villages, self.grids,
                      self.city_lat, self.city_lon)

    @property
    def population(self) -> int:
        """Residents of the world (the grids' populations summed)."""
        return int(self.grids["population"].sum())

    @property
    def township_centres(self) -> int:
        """Township centres that exist (townships without their own share one)."""
        return int(self.townships["centre"].nunique())

    @property
    def village_centres(self) -> int:
        """Village centres that exist (villages without their own share one)."""
        return int(self.villages["centre"].nunique())


def build_world(
    name: str,
    banners: pd.DataFrame,
    plan: pd.DataFrame,
    rng: np.random.Generator,
    grids: int | None,
    residents_per_grid: float,
    township_centres: int | None,
    village_centres: int | None,
    city_lat: float,
    city_lon: float,
) -> World:
    """Allocate populations, places, positions and grids; return the :class:`World`.

    Args:
        banners: code, name, name_zh, model, population, area_km2, lat, lon per banner.
        plan: banner (row index into ``banners``), name, kind (street/town/sumu), model,
            communities, villages per township.
        rng: the world's random stream (noise in weights, positions).
        grids: total grids, or None for population / residents_per_grid.
        township_centres / village_centres: how many centres exist (None: one per unit);
            the smallest units share the nearest neighbour's centre.
    """
    banners = banners.reset_index(drop=True).copy()
    plan = plan.reset_index(drop=True).copy()
    b_area = banners["area_km2"].to_numpy(float)

    # --- townships: population by kind weight x size x noise, then area and position
    t_units = (plan["communities"] + plan["villages"]).to_numpy(float)
    t_weight = plan["kind"].map(KIND_WEIGHT).to_numpy(float) * t_units
    t_weight *= rng.lognormal(0.0, 0.3, len(plan))
    t_pop = np.zeros(len(plan), dtype=np.int64)
    for b, rows in plan.groupby("banner").indices.items():
        t_pop[rows] = apportion(int(banners.at[b, "population"]), t_weight[rows])
    plan["population"] = t_pop
    t_area = np.zeros(len(plan))
    t_lat = np.zeros(len(plan))
    t_lon = np.zeros(len(plan))
    for b, rows in plan.groupby("banner").indices.items():
        street = (plan.loc[rows, "kind"] == "street").to_numpy()
        urban_area = np.minimum(t_pop[rows] / URBAN_DENSITY_PER_KM2, 0.05 * b_area[b])
        rural_rows = ~street
        rest = max(b_area[b] - urban_area[street].sum(), 1.0)
        share = rng.lognormal(0.0, 0.3, rural_rows.sum())
        area = urban_area.copy()
        area[rural_rows] = rest * share / share.sum() if rural_rows.any() else 0.0
        t_area[rows] = np.maximum(area, 0.5)
        radius = np.sqrt(b_area[b] / np.pi)
        core = np.sqrt(max(urban_area[street].sum(), 1.0) / np.pi)
        lat0, lon0 = banners.at[b, "lat"], banners.at[b, "lon"]
        la, lo = scatter(rng, lat0, lon0, 0.9 * radius, len(rows))
        ls, os_ = scatter(rng, lat0, lon0, core, len(rows))
        t_lat[rows] = np.where(street, ls, la)
        t_lon[rows] = np.where(street, os_, lo)
    plan["area_km2"] = t_area
    plan["lat"] = t_lat
    plan["lon"] = t_lon
    plan["km_to_banner"] = road_km(
        t_lat, t_lon, banners["lat"].to_numpy()[plan["banner"]], banners["lon"].to_numpy()[plan["banner"]]
    )

    # --- villages and communities (嘎查村 / 社区)
    rows = []  # plain columns, not iterrows: one pass over ~200 townships, ~2,000 units
    for t, (b, t_name, _kind, model, n_comm, n_vill) in enumerate(zip(
            plan["banner"].tolist(), plan["name"].tolist(), plan["kind"].tolist(), plan["model"].tolist(),
            plan["communities"].tolist(), plan["villages"].tolist())):
        # communities are urban unless their township's own model is mining or border (place_models)
        community_model = model if model in ("mining", "border") else "urban"
        rows.extend((t, b, f"{t_name} community {j + 1}", "community", community_model) for j in range(int(n_comm)))
        village_model = "urban" if model == "urban" else model
        rows.extend((t, b, f"{t_name} village {j + 1}", "village", village_model) for j in range(int(n_vill)))
    villages = pd.DataFrame(rows, columns=["township", "banner", "name", "kind", "model"])
    is_community = (villages["kind"] == "community").to_numpy()
    v_weight = np.where(is_community, 1.5, 1.0) * rng.lognormal(0.0, 0.4, len(villages))
    v_pop = np.zeros(len(villages), dtype=np.int64)
    v_area = np.zeros(len(villages))
    v_lat = np.zeros(len(villages))
    v_lon = np.zeros(len(villages))
    for t, vrows in villages.groupby("township").indices.items():
        v_pop[vrows] = apportion(int(t_pop[t]), v_weight[vrows])
        community = is_community[vrows]
        area = np.where(community, v_pop[vrows] / URBAN_DENSITY_PER_KM2, 0.0)
        rural = ~community
        if rural.any():
            area[rural] = max(t_area[t] - area[community].sum(), 0.5) / rural.sum()
        v_area[vrows] = np.maximum(area, 0.05)
        radius = np.sqrt(t_area[t] / np.pi)
        v_lat[vrows], v_lon[vrows] = scatter(rng, t_lat[t], t_lon[t], 0.9 * radius, len(vrows))
    villages["population"] = v_pop
    villages["area_km2"] = v_area
    villages["lat"] = v_lat
    villages["lon"] = v_lon
    villages["km_to_township"] = road_km(
        v_lat, v_lon, t_lat[villages["township"]], t_lon[villages["township"]]
    )

    # --- grids (网格): at least one per village or community, the rest by population
    total_pop = int(v_pop.sum())
    n_grids = grids if grids is not None else max(len(villages), round(total_pop / residents_per_grid))
    n_grids = max(int(n_grids), len(villages))
    per_village = apportion(n_grids, v_pop.astype(float), minimum=1)
    g_village = np.repeat(np.arange(len(villages)), per_village)
    g_pop = _even_split(v_pop, per_village)
    grid_df = pd.DataFrame(
        {
            "village": g_village,
            "township": villages["township"].to_numpy()[g_village],
            "banner": villages["banner"].to_numpy()[g_village],
            "model": villages["model"].to_numpy()[g_village],
            "population": g_pop,
            # half the side of the grid's share of the village: a resident's trip to the centre
            "km_to_village": 0.5 * np.sqrt(v_area[g_village] / per_village[g_village]),
        }
    )

    # --- centres: the smallest units share their nearest neighbour's centre
    plan["centre"] = _share_centres(plan, "banner", township_centres)
    villages["centre"] = _share_centres(villages, "township", village_centres)
    banners["km_to_city"] = road_km(banners["lat"], banners["lon"], city_lat, city_lon)

    townships = plan[
        ["banner", "name", "kind", "model", "population", "area_km2", "lat", "lon", "km_to_banner", "centre"]
    ]
    return World(name, banners, townships, villages, grid_df, city_lat, city_lon)


def _even_split(totals: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """Each ``totals[i]`` split evenly over ``parts[i]`` (>= 1) consecutive parts, concatenated.

    The vectorised form of ``apportion(totals[i], np.ones(parts[i]))`` for every ``i``, with
    the same float quota, so the same integers: the first ``remainder`` parts get one more.
    """
    totals = np.asarray(totals, dtype=np.int64)
    parts = np.asarray(parts, dtype=np.int64)
    base = np.floor(totals.astype(float) / parts.astype(float)).astype(np.int64)
    short = totals - base * parts
    owner = np.repeat(np.arange(len(parts)), parts)
    rank = np.arange(int(parts.sum())) - np.repeat(np.cumsum(parts) - parts, parts)
    return base[owner] + (rank < short[owner])


def _share_centres(units: pd.DataFrame, parent: str, wanted: int | None) -> np.ndarray:
    """Index of the unit whose centre serves each unit.

    With ``wanted`` centres for more units, the smallest units (by population) that have a
    sibling under the same parent are served by their nearest sibling that keeps a centre.
    """
    n = len(units)
    centre = np.arange(n)
    if wanted is None or wanted >= n:
        return centre
    siblings = units.groupby(parent).indices
    has_sibling = np.array([len(siblings[p]) > 1 for p in units[parent]])
    order = np.lexsort((np.arange(n), units["population"].to_numpy()))
    sharing: list[int] = []
    left = {p: len(rows) for p, rows in siblings.items()}
    parents = units[parent].tolist()
    for i in order:
        if len(sharing) == n - wanted:
            break
        p = parents[i]
        if has_sibling[i] and left[p] > 1:
            sharing.append(i)
            left[p] -= 1
    shared = set(sharing)
    lat, lon = units["lat"].to_numpy(), units["lon"].to_numpy()
    for i in sharing:
        hosts = [j for j in siblings[parents[i]] if j not in shared]
        d = road_km(lat[i], lon[i], lat[hosts], lon[hosts])
        centre[i] = hosts[int(np.argmin(d))]
    return centre


def _columns(df: pd.DataFrame, *names: str) -> zip:
    """Rows of the named columns as tuples of plain Python values."""
    return zip(*(df[c].tolist() for c in names))


def _graph(name, banners, townships, villages, grids, city_lat, city_lon) -> nx.DiGraph:
    """A directed tree; node ids are ``level:index`` strings, attributes ``level``, ``name``,
    ``model``, ``population``, ``area_km2``, ``lat``/``lon`` (and ``kind`` below the banners).

    Townships and villages carry ``centre``: the node whose non-litigation centre (and, for
    townships, police post) serves them. Routing reads it (:mod:`sim.world.routing`).
    """
    g: nx.DiGraph[str] = nx.DiGraph(name=name)
    g.add_node("city", level="city", name=name, model="urban",
               population=int(banners["population"].sum()),
               area_km2=float(banners["area_km2"].sum()), lat=city_lat, lon=city_lon)
    # nodes and edges from plain column lists (iterrows would box each of ~2,000 rows in a Series)
    for i, (b_name, zh, code, model, pop, area, lat, lon, km) in enumerate(_columns(
            banners, "name", "name_zh", "code", "model", "population", "area_km2", "lat", "lon", "km_to_city")):
        g.add_node(f"banner:{i}", level="banner", name=b_name, name_zh=zh, code=str(code), model=model,
                   population=int(pop), area_km2=float(area), lat=float(lat), lon=float(lon))
        g.add_edge("city", f"banner:{i}", km=float(km))
    for level, parent, df, km_col in (("township", "banner", townships, "km_to_banner"),
                                      ("village", "township", villages, "km_to_township")):
        g.add_nodes_from(
            (f"{level}:{i}", {"level": level, "name": u_name, "model": model, "population": int(pop),
                              "area_km2": float(area), "lat": float(lat), "lon": float(lon), "kind": kind,
                              "centre": f"{level}:{c}"})  # the unit whose centre serves this one
            for i, (u_name, model, pop, area, lat, lon, kind, c) in enumerate(_columns(
                df, "name", "model", "population", "area_km2", "lat", "lon", "kind", "centre")))
        g.add_edges_from((f"{parent}:{up}", f"{level}:{i}", {"km": float(km)})
                         for i, (up, km) in enumerate(_columns(df, parent, km_col)))
    gv = grids["village"].to_numpy()
    counts = np.bincount(gv, minlength=len(villages))
    grid_area = villages["area_km2"].to_numpy()[gv] / counts[gv]
    g.add_nodes_from(
        (f"grid:{i}", {"level": "grid", "name": f"grid {i}", "model": m, "population": p, "area_km2": a,
                       "lat": lat, "lon": lon})
        for i, (m, p, a, lat, lon) in enumerate(zip(
            grids["model"].tolist(), grids["population"].tolist(), grid_area.tolist(),
            villages["lat"].to_numpy()[gv].tolist(), villages["lon"].to_numpy()[gv].tolist())))
    g.add_edges_from((f"village:{v}", f"grid:{i}", {"km": k})
                     for i, (v, k) in enumerate(zip(gv.tolist(), grids["km_to_village"].tolist())))
    return g
