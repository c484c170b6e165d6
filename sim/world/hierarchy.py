"""The governance hierarchy: city -> banners -> townships -> villages/communities -> grids.

A builder turns a *township plan* (one row per township: its banner, kind, model and how many
residents' committees and village committees it holds) into a :class:`World`: a networkx tree
plus flat tables that the model reads as arrays. Populations, grids and positions inside a banner
are not published, so they are allocated here: populations by weights with seeded noise, grids by
population with at least one per village or community (the article's 6,997 grids in all).
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """A built hierarchy: the graph and one table per level (row order = array index).

    Tables: ``banners`` (code, name, name_zh, model, population, area_km2, lat, lon,
    km_to_city); ``townships`` (banner, name, kind, model, population, area_km2, lat, lon,
    km_to_banner, centre: index of the township whose centre serves it); ``villages``
    (township, banner, name, kind, model, population, area_km2, lat, lon, km_to_township,
    centre); ``grids`` (village, township, banner, model, population, km_to_village).
    """

    name: str
    graph: nx.DiGraph
    banners: pd.DataFrame
    townships: pd.DataFrame
    villages: pd.DataFrame
    grids: pd.DataFrame
    city_lat: float
    city_lon: float

    @property
    def population(self) -> int:
        return int(self.grids["population"].sum())

    @property
    def township_centres(self) -> int:
        return int(self.townships["centre"].nunique())

    @property
    def village_centres(self) -> int:
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
    rows = []
    for t, tw in plan.iterrows():
        for j in range(int(tw["communities"])):
            rows.append((t, tw["banner"], f"{tw['name']} community {j + 1}", "community", "urban"))
        village_model = "urban" if tw["kind"] == "street" else tw["model"]
        for j in range(int(tw["villages"])):
            rows.append((t, tw["banner"], f"{tw['name']} village {j + 1}", "village", village_model))
    villages = pd.DataFrame(rows, columns=["township", "banner", "name", "kind", "model"])
    v_weight = np.where(villages["kind"] == "community", 1.5, 1.0) * rng.lognormal(0.0, 0.4, len(villages))
    v_pop = np.zeros(len(villages), dtype=np.int64)
    v_area = np.zeros(len(villages))
    v_lat = np.zeros(len(villages))
    v_lon = np.zeros(len(villages))
    for t, vrows in villages.groupby("township").indices.items():
        v_pop[vrows] = apportion(int(t_pop[t]), v_weight[vrows])
        community = (villages.loc[vrows, "kind"] == "community").to_numpy()
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
    g_pop = np.zeros(n_grids, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(per_village)])
    for v in range(len(villages)):
        g_pop[starts[v]:starts[v + 1]] = apportion(int(v_pop[v]), np.ones(per_village[v]))
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
    graph = _graph(name, banners, townships, villages, grid_df, city_lat, city_lon)
    return World(name, graph, banners, townships, villages, grid_df, city_lat, city_lon)


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
    for i in order:
        if len(sharing) == n - wanted:
            break
        p = units.at[i, parent]
        if has_sibling[i] and left[p] > 1:
            sharing.append(i)
            left[p] -= 1
    shared = set(sharing)
    lat, lon = units["lat"].to_numpy(), units["lon"].to_numpy()
    for i in sharing:
        hosts = [j for j in siblings[units.at[i, parent]] if j not in shared]
        d = road_km(lat[i], lon[i], lat[hosts], lon[hosts])
        centre[i] = hosts[int(np.argmin(d))]
    return centre


def _graph(name, banners, townships, villages, grids, city_lat, city_lon) -> nx.DiGraph:
    """A directed tree; node ids are ``level:index`` strings, attributes per design.md."""
    g: nx.DiGraph[str] = nx.DiGraph(name=name)
    g.add_node("city", level="city", name=name, model="urban",
               population=int(banners["population"].sum()),
               area_km2=float(banners["area_km2"].sum()), lat=city_lat, lon=city_lon)
    for i, b in banners.iterrows():
        g.add_node(f"banner:{i}", level="banner", name=b["name"], model=b["model"],
                   population=int(b["population"]), area_km2=float(b["area_km2"]),
                   lat=float(b["lat"]), lon=float(b["lon"]))
        g.add_edge("city", f"banner:{i}", km=float(b["km_to_city"]))
    for i, t in townships.iterrows():
        g.add_node(f"township:{i}", level="township", name=t["name"], model=t["model"],
                   population=int(t["population"]), area_km2=float(t["area_km2"]),
                   lat=float(t["lat"]), lon=float(t["lon"]), kind=t["kind"])
        g.add_edge(f"banner:{t['banner']}", f"township:{i}", km=float(t["km_to_banner"]))
    for i, v in villages.iterrows():
        g.add_node(f"village:{i}", level="village", name=v["name"], model=v["model"],
                   population=int(v["population"]), area_km2=float(v["area_km2"]),
                   lat=float(v["lat"]), lon=float(v["lon"]), kind=v["kind"])
        g.add_edge(f"township:{v['township']}", f"village:{i}", km=float(v["km_to_township"]))
    vlat, vlon = villages["lat"].to_numpy(), villages["lon"].to_numpy()
    varea = villages["area_km2"].to_numpy()
    counts = np.bincount(grids["village"], minlength=len(villages))
    g.add_nodes_from(
        (f"grid:{i}", {"level": "grid", "name": f"grid {i}", "model": m, "population": int(p),
                       "area_km2": float(varea[v] / counts[v]), "lat": float(vlat[v]),
                       "lon": float(vlon[v])})
        for i, (v, m, p) in enumerate(zip(grids["village"], grids["model"], grids["population"]))
    )
    g.add_edges_from((f"village:{v}", f"grid:{i}", {"km": float(k)})
                     for i, (v, k) in enumerate(zip(grids["village"], grids["km_to_village"])))
    return g
