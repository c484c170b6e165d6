"""The calibrated defaults against the article's 2022 figures, the reform's crime pattern and the crime level.

A full-scale year of the 2022 system and of the 2019 system (governance=pre_reform), one seed
each (two ~10-20 s runs). Tolerances are wider than the timeline's done-criteria because one seed
of one year is compared (the seed-to-seed spread of mediated cases is ~1%, of conversions ~8%).
"""

import pytest

from tests.conftest import simulate_all

TARGETS = {  # the article, 2022
    "mediated_cases": 43475,
    "mediation_success_rate": 0.997,
    "satisfaction": 0.9933,
    "fraud_cases_per_day": 3.6,
}


@pytest.fixture(scope="module")
def systems(tmp_path_factory):
    govs = ("classified", "pre_reform")
    results = simulate_all([([f"governance={gov}", "seed=11"], tmp_path_factory.mktemp(gov)) for gov in govs])
    return {gov: r.summary for gov, r in zip(govs, results)}


@pytest.mark.slow
def test_the_2022_system_reproduces_the_articles_figures(systems):
    s = systems["classified"]
    assert s["mediated_cases"] == pytest.approx(TARGETS["mediated_cases"], rel=0.08)
    assert s["mediation_success_rate"] == pytest.approx(TARGETS["mediation_success_rate"], abs=0.004)
    assert s["satisfaction"] == pytest.approx(TARGETS["satisfaction"], abs=0.006)
    assert s["fraud_cases_per_day"] == pytest.approx(TARGETS["fraud_cases_per_day"], rel=0.25)


@pytest.mark.slow
def test_the_reform_cuts_conversions_by_the_articles_order_not_sixfold(systems):
    new, old = systems["classified"]["disputes"]["criminal"], systems["pre_reform"]["disputes"]["criminal"]
    # major crime -12.13% and homicides -22.5% in one year; three reform years: 0.45-0.85x
    assert 0.40 <= new / old <= 0.90, (new, old)
    # before the campaign, fraud sat near its historic peak of 30 a day
    assert 24 <= systems["pre_reform"]["fraud_cases_per_day"] <= 36


@pytest.mark.slow
def test_about_four_in_five_mediated_disputes_settle_at_the_grassroots(systems):
    # evidence 1.8: ~80% of disputes mediated in 2016-2020 were settled at the grassroots; the rest by
    # sectoral committees at the banner (dispatch by kind) and the levels above
    at = systems["classified"]["resolved_at"]
    grassroots = sum(at.get(k, 0) for k in ("grid", "neighbour", "village", "township"))
    share = grassroots / sum(n for k, n in at.items() if k != "self")
    assert 0.70 <= share <= 0.90, at


@pytest.mark.slow
def test_serious_crimes_sit_near_inner_mongolias_rate_not_twice_it(systems):
    # evidence 2.22, 2.10: IM courts took 2,114 serious violent cases in 2022 for 24.05 M residents,
    # ~197 at Hulunbuir's 2.24 M. The disputes that turn criminal are inside that count: a background
    # at IM's whole rate plus the conversions counted them twice (~390 a year)
    s = systems["classified"]
    assert 75 <= s["serious_crimes"] <= 320, s["serious_crimes"]
    # and the conversions are a part of it, neither all nor nothing (evidence 4.8-4.10: 36-90%)
    assert 0.3 <= s["disputes"]["criminal"] / s["serious_crimes"] <= 0.95, s
