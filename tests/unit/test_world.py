"""The hierarchy at scale 1 and the synthetic county generator."""

import networkx as nx
import numpy as np
import pytest

from sim.config import CityConfig
from sim.world import build_city


@pytest.fixture(scope="module")
def hulunbuir():
    return build_city(CityConfig(), np.random.default_rng(0))


def test_hulunbuir_structure_is_exact(hulunbuir):
    w = hulunbuir
    assert w.population == 2_242_875
    assert len(w.banners) == 14
    assert len(w.townships) == 142 and w.township_centres == 141
    assert len(w.villages) == 1156 and w.village_centres == 1136
    assert len(w.grids) == 6997


def test_every_village_has_a_grid_and_grids_follow_population(hulunbuir):
    per_village = np.bincount(hulunbuir.grids["village"], minlength=len(hulunbuir.villages))
    assert per_village.min() >= 1
    big = hulunbuir.villages["population"].to_numpy() > 10_000
    assert per_village[big].mean() > 3 * per_village[~big].mean()


def test_graph_is_a_tree_with_levels(hulunbuir):
    g = hulunbuir.graph
    assert nx.is_arborescence(g)
    levels = nx.get_node_attributes(g, "level")
    assert sum(1 for x in levels.values() if x == "grid") == 6997
    for _, data in g.nodes(data=True):
        assert {"model", "population", "area_km2", "lat", "lon"} <= data.keys()
    # populations add up level by level
    assert sum(g.nodes[b]["population"] for b in g.successors("city")) == 2_242_875


def test_each_model_acts_in_its_own_kind_of_place(hulunbuir):
    t, v, b, g = hulunbuir.townships, hulunbuir.villages, hulunbuir.banners, hulunbuir.grids
    name = dict(enumerate(b["name"]))
    street_banners = t.loc[t["kind"] == "street", "banner"].map(name)
    # streets are urban except Zalainuoer's (the mining areas) and the border cities' (Manzhouli, Ergun)
    special = t[(t["kind"] == "street") & (t["model"] != "urban")]
    assert set(special["banner"].map(name)) == {"Zalainuoer District", "Manzhouli", "Ergun"}
    assert set(t.loc[t["kind"] == "street", "model"]) == {"urban", "mining", "border"}
    assert len(street_banners) > len(special)
    # mining acts in Zalainuoer and in one town of each banner whose types list mining
    mining = set(g.loc[g["model"] == "mining", "banner"].map(name))
    assert mining == {"Zalainuoer District", "Ewenki AB", "Chen Barag Banner", "New Barag Right Banner"}
    # border acts in Manzhouli, Ergun and frontier sumu of the pastoral border banners
    border = set(g.loc[g["model"] == "border", "banner"].map(name))
    assert {"Manzhouli", "Ergun", "Chen Barag Banner", "New Barag Left Banner", "New Barag Right Banner"} <= border
    # elsewhere villages follow their banner; communities of ordinary streets are urban
    plain = ~b["model"].isin(["mining", "border"]).to_numpy()[v["banner"]]
    ordinary = v[plain & (t["model"].to_numpy()[v["township"]] == b["model"].to_numpy()[v["banner"]])
                 & (v["kind"] == "village").to_numpy()]
    assert (ordinary["model"].to_numpy() == b["model"].to_numpy()[ordinary["banner"]]).all()
    assert (v.loc[(v["kind"] == "community") & (t["model"].to_numpy()[v["township"]] == "urban"), "model"] == "urban").all()


def test_shared_centres_stay_within_the_parent(hulunbuir):
    v = hulunbuir.villages
    host = v["centre"].to_numpy()
    assert (v["township"].to_numpy() == v["township"].to_numpy()[host]).all()
    assert (host[host] == host).all()  # hosts serve themselves


def test_synthetic_county_is_seeded_and_sized():
    city = CityConfig(kind="synthetic", name="x", population=12_345, townships=5, villages_per_township=4,
                      grids=None, township_centres=None, village_centres=None,
                      model_mix={"rural": 1.0, "pastoral": 1.0})
    a = build_city(city, np.random.default_rng(7))
    b = build_city(city, np.random.default_rng(7))
    c = build_city(city, np.random.default_rng(8))
    assert a.population == 12_345
    assert len(a.townships) == 5
    assert set(a.grids["model"]) == {"rural", "pastoral"}
    assert len(a.grids) >= round(12_345 / 321)
    assert a.villages.equals(b.villages)
    assert not a.villages["population"].equals(c.villages["population"])
