"""Places and routes from the hierarchy graph: the one place the graph becomes arrays.

Which village centre serves a village, which township centre (and police post: "two offices one
centre", 两所一中心) serves a township, how far each is, and where each grid sits are read from
the networkx graph of :class:`~sim.world.World` (node attributes ``level``, ``population``,
``model``, ``lat``/``lon``, ``centre``; edge attribute ``km``). A user who edits the graph, or
brings their own with the same attributes, changes routing. The arrays are derived once per run.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from sim.config import PLACE_MODELS
from sim.world.geo import road_km


@dataclass
class Places:
    """The arrays a run reads, indexed by grid, village, township and banner (graph order)."""

    banner_names: list[str]
    township_names: list[str]
    grid_village: np.ndarray
    grid_township: np.ndarray
    grid_banner: np.ndarray
    grid_population: np.ndarray
    grid_own_model: np.ndarray  # the place's own model code (what disputes arise there)
    grid_km: np.ndarray  # from a grid's households to its village's seat
    village_township: np.ndarray
    village_banner: np.ndarray
    township_banner: np.ndarray
    village_centre: np.ndarray  # village whose centre serves each village
    township_centre: np.ndarray  # township whose centre and post serve each township
    km_to_centre: np.ndarray  # (villages, 4): road km from a village to each tier's centre
    km_to_post: np.ndarray  # per village: to the police post of its township centre

    @property
    def n_grids(self) -> int:
        """Grids in the world."""
        return len(self.grid_village)


def _by_level(graph: nx.DiGraph, level: str) -> list:
    return [n for n, a in graph.nodes(data=True) if a.get("level") == level]


def places_from_graph(graph: nx.DiGraph) -> Places:
    """Derive :class:`Places` from a hierarchy graph.

    Raises:
        ValueError: naming the node, if a node lacks its parent or a centre points outside its level.
    """
    levels = {lv: _by_level(graph, lv) for lv in ("banner", "township", "village", "grid")}
    index = {lv: {n: i for i, n in enumerate(nodes)} for lv, nodes in levels.items()}

    def parents(level: str, up: str) -> tuple[np.ndarray, np.ndarray]:
        rows, km = [], []
        for n in levels[level]:
            ups = [p for p in graph.predecessors(n) if p in index[up]]
            if len(ups) != 1:
                raise ValueError(f"graph node {n!r}: needs exactly one {up} parent, has {len(ups)}")
            rows.append(index[up][ups[0]])
            km.append(float(graph.edges[ups[0], n].get("km", 0.0)))
        return np.array(rows, dtype=np.int64), np.array(km)

    def centres(level: str) -> np.ndarray:
        out = np.arange(len(levels[level]))
        for i, n in enumerate(levels[level]):
            host = graph.nodes[n].get("centre", n)
            if host not in index[level]:
                raise ValueError(f"graph node {n!r}: centre {host!r} is not a {level}")
            out[i] = index[level][host]
        return out

    def attr(level: str, key: str) -> np.ndarray:
        return np.array([graph.nodes[n][key] for n in levels[level]])

    t_banner, km_t_b = parents("township", "banner")
    v_township, km_v_t = parents("village", "township")
    g_village, km_g_v = parents("grid", "village")
    b_km_city = np.array([float(graph.edges[p, n]["km"]) for n in levels["banner"]
                          for p in graph.predecessors(n)])
    v_centre, t_centre = centres("village"), centres("township")
    v_lat, v_lon = attr("village", "lat").astype(float), attr("village", "lon").astype(float)
    t_lat, t_lon = attr("township", "lat").astype(float), attr("township", "lon").astype(float)
    to_village_centre = road_km(v_lat, v_lon, v_lat[v_centre], v_lon[v_centre])
    host_t = t_centre[v_township]
    to_township_centre = road_km(v_lat, v_lon, t_lat[host_t], t_lon[host_t])
    to_banner = km_v_t + km_t_b[v_township]
    to_city = to_banner + b_km_city[t_banner[v_township]]
    code = {m: i for i, m in enumerate(PLACE_MODELS)}
    return Places(
        banner_names=[str(x) for x in attr("banner", "name")],
        township_names=[str(x) for x in attr("township", "name")],
        grid_village=g_village, grid_township=v_township[g_village],
        grid_banner=t_banner[v_township[g_village]],
        grid_population=attr("grid", "population").astype(np.int64),
        grid_own_model=np.array([code[m] for m in attr("grid", "model")], dtype=np.int64),
        grid_km=km_g_v, village_township=v_township, village_banner=t_banner[v_township],
        township_banner=t_banner, village_centre=v_centre, township_centre=t_centre,
        km_to_centre=np.column_stack([to_village_centre, to_township_centre, to_banner, to_city]),
        km_to_post=to_township_centre,
    )
