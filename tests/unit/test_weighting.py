"""A sampled run's summary: the sample, per-10k figures weighted to the city, fidelity (sim.weighting)."""

import pytest

from sim import simulate
from sim.run import describe
from sim.weighting import city_total


def _run(tmp_path, *overrides):
    return simulate(list(overrides), run_dir=tmp_path / "_".join(overrides).replace("=", "-")).summary


def test_at_scale_one_per_10k_figures_are_counts_per_10k_residents(tmp_path):
    s = _run(tmp_path, "city=demo_county", "days=40", "seed=2")
    pop = s["population"]
    assert s["mediated_cases_per_10k"] == pytest.approx(1e4 * s["mediated_cases"] / pop)
    assert s["police_incidents_per_10k"] == pytest.approx(1e4 * s["police_incidents"] / pop)
    assert s["created_per_10k"] == pytest.approx(1e4 * s["disputes"]["created"] / pop)
    assert s["criminal_per_10k"] == pytest.approx(1e4 * s["disputes"]["criminal"] / pop)
    assert s["sample"] == {"scale": 1.0, "population": pop, "share": 1.0, "n_townships": 6}
    assert "fidelity" not in s
    assert "whole townships" not in describe(s)


def test_a_sampled_run_simulates_whole_townships_and_says_so(tmp_path):
    s = _run(tmp_path, "scale=0.1", "days=5", "seed=4")
    sample = s["sample"]
    # the simulated population is exactly that of the sampled townships (no thinning)
    assert s["population"] == pytest.approx(sample["share"] * sample["population"], abs=1)
    assert sample["n_townships"] == len(sample["townships"]) == len(sample["weights"])
    assert sample["population"] == 2_242_875
    # Hulunbuir at 0.1 cannot simulate every banner, and the banner centres get under a person
    assert "banners" in s["fidelity"] and "banner_centres" in s["fidelity"]
    line = describe(s).splitlines()[-1]
    assert line.startswith(f"scale 0.1: {sample['n_townships']} whole townships (")
    assert "not faithful" in line and "banners" in line
    # a count for the whole city from its weighted per-10k figure, not count / scale
    assert city_total(s, "mediated_cases") == pytest.approx(s["mediated_cases_per_10k"] * 2_242_875 / 1e4)
    assert city_total(s, "fraud_cases_per_day") == pytest.approx(s["fraud_cases_per_day"] / sample["share"])


def test_the_same_seed_simulates_the_same_townships_in_every_scenario(tmp_path):
    a = _run(tmp_path, "scale=0.3", "days=3", "seed=7")
    b = _run(tmp_path, "scale=0.3", "days=3", "seed=7", "staffing=hard_cuts")
    b2 = _run(tmp_path, "scale=0.3", "days=3", "seed=7", "governance=pre_reform")
    c = _run(tmp_path, "scale=0.3", "days=3", "seed=8")
    assert a["sample"]["townships"] == b["sample"]["townships"] == b2["sample"]["townships"]
    assert a["sample"]["townships"] != c["sample"]["townships"]
    # local staffing follows the scenario at full strength: one grid worker per grid in the cut
    assert b["grid_workers"] == b["grids"] < a["grid_workers"]
