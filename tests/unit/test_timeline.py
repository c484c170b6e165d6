"""The reform timeline: phases blend the 2019 and 2022 systems; its first year is pre_reform."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import sim
from sim.api import compose_config
from sim.errors import ShouwangError
from sim.hydra_conf import to_config
from sim.timeline import blend_governance, phase_configs, years

TIMELINE = ["timeline=reform_2019_2022", "city=demo_county"]


def test_phases_blend_the_two_systems_and_set_their_flags():
    cfg = to_config(compose_config(TIMELINE))
    before, after = cfg.timeline.before_governance, cfg.governance
    phases = phase_configs(cfg, before)
    assert [d for d, _ in phases] == [0, 365, 731, 790, 1096]
    first, *_, last = (c.governance for _, c in phases)
    assert dataclasses.asdict(first) == dataclasses.asdict(before)
    assert dataclasses.asdict(last) == dataclasses.asdict(after)
    middle = phases[1][1].governance  # 2020, level 0.35
    assert middle.grid_workers_factor == pytest.approx(before.grid_workers_factor
                                                       + 0.35 * (after.grid_workers_factor - before.grid_workers_factor))
    assert middle.anti_fraud_campaign is False and phases[3][1].governance.anti_fraud_campaign is True
    assert years(cfg) == [("2019", 0, 365), ("2020", 365, 731), ("2021", 731, 1096), ("2022", 1096, 1461)]


def test_blend_keeps_each_places_own_disputes():
    cfg = to_config(compose_config(TIMELINE))
    gov = blend_governance(cfg.timeline.before_governance, cfg.governance, 0.5)
    for name, params in gov.models.items():
        assert params.kind_mix == cfg.governance.models[name].kind_mix


def test_the_timelines_first_year_is_the_pre_reform_system(tmp_path):
    # the same seed, the same days: the timeline's 2019 and a pre_reform run are the same run
    days = ["days=90", "seed=4"]
    timeline = sim.simulate(TIMELINE + days, run_dir=tmp_path / "timeline")
    pre = sim.simulate(["city=demo_county", "governance=pre_reform"] + days, run_dir=tmp_path / "pre")
    pd.testing.assert_frame_equal(timeline.disputes, pre.disputes)
    pd.testing.assert_frame_equal(timeline.visits, pre.visits)
    assert timeline.summary["by_year"]["2019"]["disputes"]["created"] == pre.summary["disputes"]["created"]


def test_phases_out_of_order_are_refused():
    cfg = to_config(compose_config(TIMELINE))
    cfg.timeline.phases[2].start = "2019-06-01"
    with pytest.raises(ShouwangError, match=r"timeline.phases\[2\].start: phases must start in order"):
        phase_configs(cfg, cfg.timeline.before_governance)


def test_by_year_below_scale_one_counts_for_the_whole_city(tmp_path):
    # a sampled run's yearly counts are weighted to the city as its *_per_10k figures are: over the
    # years they add up to the run's city totals (sim.weighting.city_total), not to the sample's own
    from sim.weighting import city_total

    r = sim.simulate(["timeline=reform_2019_2022", "scale=0.1", "days=380", "seed=2"], run_dir=tmp_path / "s")
    s, years = r.summary, r.summary["by_year"]
    assert s["sample"]["share"] < 0.25
    for key, total in (("mediated_cases", "mediated_cases"), ("police_incidents", "police_incidents"),
                       ("conversions", "criminal")):
        yearly = sum(y[key] for y in years.values())
        assert yearly == pytest.approx(city_total(s, total), rel=1e-6, abs=0.2), key
    created = sum(y["disputes"]["created"] for y in years.values())
    assert created == pytest.approx(city_total(s, "created"), rel=1e-6)
    assert created > 3 * s["disputes"]["created"]  # the sample's own count is ~0.1 of the city's
    fraud = np.average([y["fraud_cases_per_day"] for y in years.values()], weights=[y["days"] for y in years.values()])
    assert fraud == pytest.approx(city_total(s, "fraud_cases_per_day"), rel=1e-4)  # daily table: float32
