"""The hierarchy graph is the source of places: editing it changes routing."""

import numpy as np
import pytest

from sim.model import ShouwangModel
from sim.world import build_city
from sim.world.routing import places_from_graph
from tests.conftest import demo_config


def _year(world, cfg):
    model = ShouwangModel(cfg, world)
    for _ in range(cfg.days):
        model.step()
    model.finish()
    return model


def test_places_follow_the_graph_and_agree_with_the_tables():
    cfg = demo_config()
    world = build_city(cfg.city, np.random.default_rng(0))
    p = places_from_graph(world.graph)
    assert np.array_equal(p.grid_village, world.grids["village"].to_numpy())
    assert np.array_equal(p.village_centre, world.villages["centre"].to_numpy())
    assert np.array_equal(p.grid_population, world.grids["population"].to_numpy())
    # km to the banner centre = village -> township -> banner along the tree's edges
    km = world.villages["km_to_township"].to_numpy() + world.townships["km_to_banner"].to_numpy()[p.village_township]
    assert np.allclose(p.km_to_centre[:, 2], km)


def test_moving_a_villages_centre_in_the_graph_moves_its_cases():
    cfg = demo_config(days=150)
    cfg.disputes.rate_per_10k = 1500.0
    world = build_city(cfg.city, np.random.default_rng(0))
    v = world.villages
    # village 1 is served by village 0's centre instead of its own
    assert v.at[1, "township"] == v.at[0, "township"]
    world.graph.nodes["village:1"]["centre"] = "village:0"
    model = _year(world, cfg)
    visits = model.visits.frame()
    village_of = np.array([d.village for d in model.ledger.disputes])
    at_village = visits[visits["agency"] == "village"]
    from_1 = at_village[village_of[at_village["dispute_id"].to_numpy()] == 1]
    assert len(from_1) > 0
    assert (from_1["centre"] == 0).all()
    assert 1 not in model.staff.villages  # no centre is staffed where nobody is served


def test_a_graph_without_a_parent_is_refused():
    cfg = demo_config()
    world = build_city(cfg.city, np.random.default_rng(0))
    world.graph.remove_edge("village:0", "grid:0")
    with pytest.raises(ValueError, match="grid:0"):
        places_from_graph(world.graph)
