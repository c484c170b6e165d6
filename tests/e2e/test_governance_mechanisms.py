"""Switching a place's governance model changes who acts, visible in the run's tables (issue 3)."""

import pandas as pd
import pytest

from tests.conftest import simulate_all

DEMO = ["city=demo_county", "days=90", "disputes.rate_per_10k=1000", "seed=3"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    govs = ("classified", "urban", "mining", "border", "forest", "pre_reform")
    return dict(zip(govs, simulate_all([(DEMO + [f"governance={g}"], tmp_path_factory.mktemp(g)) for g in govs])))


def test_each_model_brings_its_own_actors(runs):
    by = {g: r.disputes["detected_by"].value_counts() for g, r in runs.items()}
    tier = {g: r.disputes["resolved_tier"].value_counts() for g, r in runs.items()}
    assert by["urban"].get("tech", 0) > 0 and by["urban"].get("police_grid", 0) > 0
    assert by["urban"].get("neighbour", 0) == 0 and by["urban"].get("village_police", 0) == 0
    assert by["border"].get("village_police", 0) > 0
    assert by["classified"].get("neighbour", 0) > 0  # rural neighbour heads, pastoral sentinels
    assert tier["mining"].get("enterprise", 0) > 0 and tier["classified"].get("enterprise", 0) == 0
    assert runs["mining"].disputes["path"].str.contains("enterprise").any()
    pre = by["pre_reform"]
    assert pre.get("tech", 0) == pre.get("police_grid", 0) == pre.get("neighbour", 0) == 0


def test_forest_joint_handling_takes_land_disputes_to_the_township(runs):
    def land_at_village(r):
        d = r.disputes[(r.disputes["kind"] == "land") & r.disputes["path"].str.contains("village|township")]
        return d["path"].str.contains("village").mean()

    assert land_at_village(runs["forest"]) < 0.2 < land_at_village(runs["urban"])


def test_border_police_answer_from_the_village(runs):
    # the posts' own caseloads: call-outs answered by a police officer serving as village official
    assert runs["border"].summary["police"]["by_village_officials"] > 0
    assert runs["urban"].summary["police"]["by_village_officials"] == 0


def test_governance_does_not_change_what_arises(runs):
    """Common random numbers: the same seed gives (nearly) the same disputes under every model."""
    key = ["grid", "kind", "created_day"]
    a = runs["classified"].disputes[key]
    for g in ("urban", "pre_reform"):
        b = runs[g].disputes[key]
        same = pd.merge(a, b, on=key).shape[0]
        assert same > 0.9 * max(len(a), len(b)), g
    # before any dispute closes (and feeds back into residents' tension) they are identical
    def first(r):
        return r.disputes[r.disputes["created_day"] < 1][key].reset_index(drop=True)

    pd.testing.assert_frame_equal(first(runs["classified"]), first(runs["urban"]))


def test_switching_one_banner_changes_its_mechanisms_only(tmp_path):
    # scale 1: a sample of whole townships (scale < 1) need not hold Chen Barag (sim.world.sample)
    base = ["days=30", "disputes.rate_per_10k=1500", "seed=1"]
    own, switched = simulate_all([(base, tmp_path / "own"),
                                  (base + ["+governance.banner_models={Chen Barag Banner: urban}"], tmp_path / "sw")])

    def chen(r):
        return r.disputes[r.disputes["banner"] == "Chen Barag Banner"]

    a, b = chen(own), chen(switched)
    assert "pastoral" in set(a["model"]) and set(b["model"]) == {"urban"}
    pastoral_grids = set(a.loc[a["model"] == "pastoral", "grid"])  # the banner's sumu, not its streets
    a, b = a[a["grid"].isin(pastoral_grids)], b[b["grid"].isin(pastoral_grids)]
    assert (a["detected_by"] == "neighbour").sum() > 0 and (b["detected_by"] == "neighbour").sum() == 0
    assert a["detected_by"].isin(["tech", "police_grid"]).sum() == 0
    assert b["detected_by"].isin(["tech", "police_grid"]).sum() > 0

    def models(r):
        return r.disputes[r.disputes["banner"] != "Chen Barag Banner"].groupby("banner")["model"].unique()

    assert models(own).map(sorted).to_dict() == models(switched).map(sorted).to_dict()  # the rest unchanged
    row = switched.banners.set_index("banner").loc["Chen Barag Banner"]
    assert row["cost_yuan"] > 0 and row["police_officers"] > 0
