"""``scale`` as a stratified sample of whole townships (sim.world.sample)."""

import math

import networkx as nx
import numpy as np
import pytest

from sim.config import CityConfig
from sim.errors import ShouwangError
from sim.world import build_city
from sim.world.sample import sample_stream, sample_townships, upper_tier_staff

SEEDS = range(20)


@pytest.fixture(scope="module")
def hulunbuir():
    return build_city(CityConfig(), np.random.default_rng(0))


@pytest.fixture(scope="module")
def shared_centres():
    """Hulunbuir with 100 township centres for 142 townships: 42 townships use a neighbour's."""
    return build_city(CityConfig(township_centres=100), np.random.default_rng(1))


def _banner_pop(world):
    return np.bincount(world.townships["banner"], weights=world.townships["population"],
                       minlength=len(world.banners))


@pytest.mark.parametrize(("scale", "low", "high"), [(0.1, 0.55, 1.55), (0.3, 0.75, 1.3)])
def test_sampled_share_is_close_to_scale_in_total(hulunbuir, scale, low, high):
    # Tolerance: whole townships of ~5-40k residents drawn with probability proportional to
    # size, so the share is scale on average, with a spread of ~14% (0.1) and ~7% (0.3) of it
    # per seed (200 seeds). Per seed within [low, high] x scale, the mean of 20 within 10%.
    shares = [sample_townships(hulunbuir, scale, sample_stream(seed)).world.population
              / hulunbuir.population / scale for seed in SEEDS]
    assert low <= min(shares) and max(shares) <= high
    assert 0.9 <= np.mean(shares) <= 1.1


def test_banners_with_a_stratum_of_their_own_are_sampled_in_proportion_at_scale_0_3(hulunbuir):
    # A banner with a (banner, model) stratum of its own at 0.3 is simulated in every draw; drawn
    # with probability proportional to size, its share over 20 seeds averages within a factor
    # 1.5 of 0.3. Banners only in remainder strata may be left out of a draw (named in fidelity).
    real = _banner_pop(hulunbuir)
    samples = [sample_townships(hulunbuir, 0.3, sample_stream(seed)) for seed in SEEDS]
    shares = np.array([_banner_pop(s.world) / real for s in samples])
    names = hulunbuir.banners["name"].tolist()
    own = [b for b, n in enumerate(names) if any(c.startswith(f"{n}/") for c in samples[0].strata["stratum"])]
    assert len(own) >= 10
    assert (shares[:, own].min(axis=0) > 0).all()
    ratio = shares[:, own].mean(axis=0) / 0.3
    assert np.all((ratio >= 2 / 3) & (ratio <= 1.5)), ratio


def _centre_load(world, township_weight):
    """Resident-weighted mean population of the village centre a resident is served by."""
    v = world.villages
    load = np.bincount(v["centre"], weights=v["population"], minlength=len(v))
    hosts = np.flatnonzero(v["centre"].to_numpy() == np.arange(len(v)))
    w = township_weight[v["township"].to_numpy()[hosts]]
    return float(np.sum(w * load[hosts] ** 2) / np.sum(w * load[hosts]))


@pytest.mark.parametrize("scale", [0.1, 0.3])
def test_weighted_per_resident_figures_do_not_lean_to_small_townships(hulunbuir, scale):
    # What decides a staffing what-if is load per centre; a sample that favoured small
    # townships would understate it (filling each stratum's target greedily did: 0.83 of the
    # city's at 0.1). Over 40 seeds the weighted mean must be within 5% of the city's (its
    # spread per seed is ~11% at 0.1, so the mean's is ~2%).
    city = _centre_load(hulunbuir, np.ones(len(hulunbuir.townships)))
    est = [_centre_load(s.world, s.weights)
           for s in (sample_townships(hulunbuir, scale, sample_stream(seed)) for seed in range(40))]
    assert abs(np.mean(est) / city - 1) <= 0.05


@pytest.mark.parametrize("scale", [0.005, 0.05, 0.1, 0.3])
def test_weights_carry_the_real_population_of_the_city(hulunbuir, scale):
    for seed in range(5):
        s = sample_townships(hulunbuir, scale, sample_stream(seed))
        t = s.world.townships
        assert len(t) >= 1
        assert float((s.weights * t["population"]).sum()) == pytest.approx(hulunbuir.population, rel=1e-9)
        grids = s.world.grids["population"].to_numpy()
        assert float((s.grid_weights() * grids).sum()) == pytest.approx(hulunbuir.population, rel=1e-9)


def test_every_sampled_township_is_complete_with_its_villages_and_grids(hulunbuir):
    s = sample_townships(hulunbuir, 0.1, sample_stream(7))
    v, g = hulunbuir.villages, hulunbuir.grids
    for new, old in enumerate(s.townships):
        sub_v = s.world.villages[s.world.villages["township"] == new]
        assert sub_v["name"].tolist() == v.loc[v["township"] == old, "name"].tolist()
        sub_g = s.world.grids[s.world.grids["township"] == new]
        assert sub_g["population"].tolist() == g.loc[g["township"] == old, "population"].tolist()
        assert s.world.townships.at[new, "population"] == sub_g["population"].sum()
        assert s.world.townships.at[new, "name"] == hulunbuir.townships.at[old, "name"]


def test_ids_are_consistent_and_the_graph_is_a_tree_with_every_banner(hulunbuir):
    w = sample_townships(hulunbuir, 0.1, sample_stream(3)).world
    t, v, g = w.townships, w.villages, w.grids
    assert (v["banner"].to_numpy() == t["banner"].to_numpy()[v["township"]]).all()
    assert (g["township"].to_numpy() == v["township"].to_numpy()[g["village"]]).all()
    assert (g["banner"].to_numpy() == v["banner"].to_numpy()[g["village"]]).all()
    # centres: a village's centre is in its own township, a township's in its own banner
    assert (v["township"].to_numpy()[v["centre"]] == v["township"].to_numpy()).all()
    assert (t["banner"].to_numpy()[t["centre"]] == t["banner"].to_numpy()).all()
    assert w.banners["name"].tolist() == hulunbuir.banners["name"].tolist()
    graph = w.graph
    assert nx.is_arborescence(graph)
    assert sum(1 for _, d in graph.nodes(data=True) if d["level"] == "grid") == len(g)
    assert sum(1 for _, d in graph.nodes(data=True) if d["level"] == "banner") == 14


def test_townships_sharing_a_centre_are_sampled_together(shared_centres):
    w = shared_centres
    centre = w.townships["centre"].to_numpy()
    guests = np.flatnonzero(centre != np.arange(len(centre)))
    assert len(guests) == 42
    seen = 0
    for seed in SEEDS:
        s = sample_townships(w, 0.2, sample_stream(seed))
        kept = set(s.townships.tolist())
        for guest in guests:
            assert (guest in kept) == (centre[guest] in kept), seed
            seen += guest in kept
        # re-indexed centres point to the same township as before
        names = s.world.townships["name"].to_numpy()
        hosts = w.townships["name"].to_numpy()[centre[s.townships]]
        assert (names[s.world.townships["centre"]] == hosts).all()
    assert seen > 0  # the rule was exercised


def test_same_seed_gives_the_same_sample_and_other_seeds_differ(hulunbuir):
    a = sample_townships(hulunbuir, 0.1, sample_stream(11))
    b = sample_townships(hulunbuir, 0.1, sample_stream(11))
    assert a.townships.tolist() == b.townships.tolist()
    assert a.to_dict() == b.to_dict()
    others = {tuple(sample_townships(hulunbuir, 0.1, sample_stream(s)).townships) for s in range(5)}
    assert len(others) == 5


def test_the_sampling_stream_is_not_one_of_the_models_spawned_streams():
    # the model spawns its streams from SeedSequence(seed).spawn(n): none may equal the sample's
    first = sample_stream(0).random(4)
    for child in np.random.SeedSequence(0).spawn(16):
        assert not np.allclose(np.random.default_rng(child).random(4), first)


def test_scale_one_is_the_whole_world_unchanged(hulunbuir):
    s = sample_townships(hulunbuir, 1.0, sample_stream(0))
    assert s.world is hulunbuir
    assert s.townships.tolist() == list(range(len(hulunbuir.townships)))
    assert (s.weights == 1.0).all() and (s.banner_weight == 1.0).all()
    assert s.fidelity == {}


@pytest.mark.parametrize("bad", [0, -0.1, 1.5, math.nan, math.inf])
def test_bad_scale_is_refused_in_one_line(hulunbuir, bad):
    with pytest.raises(ShouwangError) as err:
        sample_townships(hulunbuir, bad, sample_stream(0))
    assert str(err.value) == f"scale: must be in (0, 1], got {bad}"


def test_fidelity_names_undrawn_strata_unsampled_banners_and_a_one_township_sample(hulunbuir):
    samples = [sample_townships(hulunbuir, 0.1, sample_stream(seed)) for seed in SEEDS]
    # cells too small to be sure of a township are merged into a remainder stratum per model
    assert all(any(c.startswith("rest/") for c in s.strata["stratum"]) for s in samples)
    undrawn_seen = unsampled_seen = 0
    for s in samples:
        undrawn = s.strata.loc[s.strata["sampled_population"] == 0, "stratum"]
        assert all(s.fidelity["strata"][c] == 0.0 for c in undrawn)
        unsampled = [n for n, w in zip(hulunbuir.banners["name"], s.banner_weight) if math.isnan(w)]
        assert all(s.fidelity["banners"][n] == 0.0 for n in unsampled)
        assert all(not 2 / 3 <= f <= 3 / 2 for f in s.fidelity.get("banners", {}).values())
        undrawn_seen += len(undrawn)
        unsampled_seen += len(unsampled)
    assert undrawn_seen and unsampled_seen  # at 0.1 both happen in some draws
    tiny = sample_townships(hulunbuir, 0.005, sample_stream(0))
    assert len(tiny.townships) == 1 and tiny.fidelity["sample"] == {"townships": 1.0}


@pytest.mark.parametrize(("whole", "share", "staff"), [(8, 0.1, 1), (8, 0.3, 2), (36, 0.5, 18), (34, 0.04, 1)])
def test_upper_tier_staff_keeps_capacity_proportional(whole, share, staff):
    people, factor = upper_tier_staff(whole, share)
    assert people == staff
    # capacity = people / session time: exactly the proportional share of the real centre's
    assert people / factor == pytest.approx(whole * share)


def test_upper_tier_staff_leaves_scale_one_and_idle_centres_alone():
    assert upper_tier_staff(9, 1.0) == (9, 1.0)
    assert upper_tier_staff(8, 0.0) == (1, 1.0)


def test_per_10k_and_weighted_mean_stand_for_the_city(hulunbuir):
    s = sample_townships(hulunbuir, 0.1, sample_stream(5))
    pop = s.world.townships["population"].to_numpy(float)
    # a count proportional to residents (2 per 10,000 everywhere) is 2 per 10,000 of the city
    assert s.per_10k(2e-4 * pop) == pytest.approx(2.0)
    # a figure that is the same in every township is that figure, whatever the weights
    n = np.arange(1, len(pop) + 1)
    assert s.weighted_mean(np.full(len(pop), 3.5), n) == pytest.approx(3.5)
    # a figure only the heavier half of the townships has counts with their weight
    heavy = s.weights >= np.median(s.weights)
    expected = (s.weights * heavy).sum() / s.weights.sum()
    assert s.weighted_mean(heavy.astype(float), np.ones(len(pop))) == pytest.approx(expected)
