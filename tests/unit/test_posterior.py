"""The calibration's posterior: draws spread over the space, patterns read right, prose from numbers."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import pytest

from experiments.calibrate import posterior
from experiments.calibrate.readings import FREE, PATTERNS, patterns_of
from experiments.sensitivity.run import _noise_sentences


def _space(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({f.key: rng.uniform(f.low, f.high, n) for f in FREE}, index=[f"0:{i}" for i in range(n)])


def test_the_central_draw_is_nearest_the_median_and_the_others_spread_out():
    points = _space(30)
    scores = pd.DataFrame({"I_max": np.linspace(0.5, 5, 30)}, index=points.index)
    scores["plausible"] = scores["I_max"] <= 3
    names, pool = posterior.pick(points, scores, 4)
    ok = scores.index[scores["plausible"]]
    assert pool == "non-implausible" and set(names) <= set(ok) and len(set(names)) == 4
    x = posterior.unit(points.loc[ok])
    dist = ((x - np.median(x, axis=0)) ** 2).sum(axis=1)
    assert names[0] == ok[int(np.argmin(dist))]
    # the second draw is the non-implausible point farthest from the first
    far = ((x - posterior.unit(points.loc[[names[0]]])) ** 2).sum(axis=1)
    assert names[1] == ok[int(np.argmax(far))]


def test_without_two_survivors_the_best_points_stand_in_and_say_so():
    points = _space(10)
    scores = pd.DataFrame({"I_max": np.arange(10.0) + 4}, index=points.index)
    scores["plausible"] = False
    names, pool = posterior.pick(points, scores, 3)
    assert set(names) == {"0:0", "0:1", "0:2"} and "fewer than two" in pool


def _summary(conv19: int, conv22: int, serious21: int, serious22: int) -> dict:
    def year(mediated, conversions, serious, peak):
        return {"mediated_cases": mediated, "mediation_success_rate": 0.997, "satisfaction": 0.993,
                "fraud_cases_per_day": 3.6, "fraud_peak_per_day": peak, "conversions": conversions,
                "serious_crimes": serious, "police_incidents": 100, "petitions": 5,
                "resolved_at": {"grid": 10, "village": 50, "township": 20, "police": 15, "banner": 5},
                "court": {"filings": 40, "referred_to_mediation": 20, "settled_in_mediation": 13,
                          "judgments": 10, "mean_days": 55.0}}

    return {"scale": 1, "by_year": {"2019": year(9000, conv19, 300, 31.0), "2020": year(20000, 150, 280, 33.0),
                                    "2021": year(40000, 120, serious21, 12.0),
                                    "2022": year(43000, conv22, serious22, 5.0)}}


def test_patterns_come_from_the_right_years():
    p = patterns_of(_summary(conv19=200, conv22=130, serious21=250, serious22=220))
    assert p["conversion_ratio"] == pytest.approx(130 / 200)
    assert p["serious_change"] == pytest.approx(220 / 250 - 1)
    assert p["fraud_peak_per_day"] == 33.0  # the highest year, not 2022
    assert p["pre_mediated_cases"] == 9000 and p["mediated_cases"] == 43000
    assert p["court_referred_success"] == pytest.approx(13 / 20)
    assert p["grassroots_share"] == pytest.approx(80 / 100)  # grid + village + township of all settled


def _runs(shift: dict[str, float], shifted: tuple[str, ...]) -> pd.DataFrame:
    rows = []
    for draw in ("0:1", "0:2"):
        for seed in (0, 1):
            row = {"draw": draw, "seed": seed}
            for p in PATTERNS:
                row[p.name] = p.value + (shift.get(p.name, 0.0) if draw in shifted else 0.0)
            row.update(police_incidents=1.0, pre_police_incidents=2.0, petitions=3.0, court_filings=4.0)
            rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("shift", "shifted", "default", "missed"), [
    ({}, (), "0:1", None),
    # 4 sd off on serious crime: its own runs rule 0:1 out, the default is the other draw
    ({"serious_change": 0.2}, ("0:1",), "0:2", None),
    # 2.3 sd low on mediated cases everywhere: nothing ruled out, outside the done-criterion window
    ({"mediated_cases": -5000}, ("0:1", "0:2"), "0:1", "mediated_cases"),
])
def test_the_report_names_the_default_and_what_it_misses(shift, shifted, default, missed):
    points = _space(3)
    scores = pd.DataFrame({"I_max": [2.0, 1.0, 1.5], "plausible": [True, True, True]}, index=points.index)
    args = argparse.Namespace(waves=["w1"], draws=2, seeds=2, scale=1.0)
    runs = _runs(shift, shifted)
    text = posterior.confirm_report(points, scores, ["0:1", "0:2"], "non-implausible", runs, args)
    assert posterior.chosen(posterior.draw_scores(runs), ["0:1", "0:2"]) == default
    assert f"are draw `{default}`" in text
    if shift.get("serious_change"):
        assert "Ruled out by their own runs in the confirmation wave: `0:1` (maximum implausibility 4.00)" in text
    else:
        assert "No draw was ruled out" in text
    if missed is None:
        assert "The default draw's mean lies within every done-criterion window." in text
    else:
        assert f"The default draw misses the done-criterion window of: {missed}." in text
    assert "3 design points" in text and "3 point(s) are non-implausible" in text


def test_noise_sentences_follow_the_sobol_table():
    table = pd.DataFrame({"output": ["a", "a", "b", "b"], "parameter": ["x", "y", "x", "y"],
                          "ST": [0.9, 0.02, 0.8, 0.7], "ST_conf": [0.1, 0.05, 0.1, 0.1], "S1": [0.8, 0.0, 0.3, 0.2]})
    lines = _noise_sentences(table, ["a", "b"])
    assert lines == ["- a: total index not distinguishable from zero (95% interval reaches 0) for `y`.",
                     "- b: total indices add up to 1.50: interactions, or seed noise on a small count."]
    clean = table.assign(ST_conf=0.01, ST=[0.5, 0.3, 0.4, 0.4])
    assert _noise_sentences(clean, ["a", "b"])[0].startswith("- Every total index's 95% interval excludes 0")


def test_a_what_if_runs_over_the_committed_draws(tmp_path, capsys):
    # the default draw at the two ends of the dispute rate's prior, one seed of a tiny scenario: each
    # headline figure has a mean inside its 95% interval, and the interval spans the two rates' counts
    draws = pd.concat([pd.read_csv(posterior.DRAWS).head(1)] * 2, ignore_index=True)
    draws["disputes.rate_per_10k"] = [300.0, 650.0]
    draws["draw"] = ["low", "high"]
    path = tmp_path / "draws.csv"
    draws.to_csv(path, index=False)
    table = posterior.main(["scenario", "--draws-file", str(path), "--seeds", "1", "--jobs", "1",
                            "city=demo_county", "days=40"])
    assert list(table.index) == list(posterior.HEADLINE)
    assert (table["2.5%"] <= table["mean"]).all() and (table["mean"] <= table["97.5%"]).all()
    assert table.at["mediated_cases", "97.5%"] > table.at["mediated_cases", "2.5%"] > 0
    assert "2 draws x 1 seeds" in capsys.readouterr().out


def test_the_defaults_the_waves_started_from_are_confirmed_when_plausible():
    points = _space(12)
    scores = pd.DataFrame({"I_max": np.linspace(0.5, 5, 12)}, index=points.index)
    scores["plausible"] = scores["I_max"] <= 3
    names, _ = posterior.pick(points, scores, 2, always="0:5")  # plausible (I_max 2.5), maybe not picked
    assert "0:5" in names and len(names) in (2, 3)
    names, _ = posterior.pick(points, scores, 2, always="0:11")  # ruled out by its own wave: not confirmed
    assert "0:11" not in names and len(names) == 2


def test_a_survivor_inside_the_done_criterion_windows_is_preferred_as_default():
    points = _space(3)
    scores = pd.DataFrame({"I_max": [2.0, 1.0, 1.5], "plausible": [True, True, True]}, index=points.index)
    runs = _runs({"mediated_cases": -3000}, ("0:1",))  # 0:1 fits best (1.4 sd), 7% low
    runs.loc[runs["draw"] == "0:2", "serious_change"] += 0.08  # 0:2 fits worse (1.6 sd), inside every window
    confirmed = posterior.draw_scores(runs)
    assert confirmed.at["0:1", "I_max"] < confirmed.at["0:2", "I_max"] <= 3
    assert posterior.chosen(confirmed, ["0:1", "0:2"]) == "0:1"  # by implausibility alone
    assert posterior.chosen(confirmed, ["0:1", "0:2"], runs) == "0:2"
    args = argparse.Namespace(waves=["w1"], draws=2, seeds=2, scale=1.0)
    text = posterior.confirm_report(points, scores, ["0:1", "0:2"], "non-implausible", runs, args)
    assert "are draw `0:2`: of the survivors whose means lie within every done-criterion window" in text
    assert "survivors outside a window: `0:1`." in text
