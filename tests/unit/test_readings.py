"""The calibration's readings of the article: what each fits, and that waves of two readings never mix."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments.calibrate import posterior
from experiments.calibrate.history_match import design
from experiments.calibrate.readings import READINGS, patterns_of

ROOT = Path(__file__).resolve().parents[2]


def _timeline(mediated: dict[str, int]) -> dict:
    year = {"mediated_cases": 0, "mediation_success_rate": 0.99, "satisfaction": 0.99, "fraud_cases_per_day": 4,
            "fraud_peak_per_day": 20, "serious_crimes": 100, "conversions": 50, "police_incidents": 10,
            "petitions": 1, "resolved_at": {"village": 8, "banner": 2},
            "court": {"filings": 5, "referred_to_mediation": 2, "settled_in_mediation": 1, "mean_days": 60}}
    return {"by_year": {y: {**year, "mediated_cases": n} for y, n in mediated.items()}}


def test_the_cumulative_reading_fits_the_three_reform_years_total_and_2019():
    cum, one = READINGS["cumulative"], READINGS["2022"]
    p = patterns_of(_timeline({"2019": 9000, "2020": 14000, "2021": 15000, "2022": 14475}))
    assert p["mediated_2020_2022"] == 43475 and p["mediated_cases"] == 14475
    targets = {x.name: x for x in cum.patterns}
    assert targets["mediated_2020_2022"].value == 43475 and "mediated_cases" not in targets
    assert targets["pre_mediated_cases"].cut  # the evidence's 2019 volume is a target here ...
    assert not {x.name: x for x in one.patterns}["pre_mediated_cases"].cut  # ... and only checked in 2022's
    assert cum.windows["mediated_2020_2022"] == one.windows["mediated_cases"]
    # its dispute-rate prior sits lower (a third of the volume), and the preset it becomes exists
    rate = {f.key: f for f in cum.free}["disputes.rate_per_10k"]
    assert rate.high < {f.key: f for f in one.free}["disputes.rate_per_10k"].low + 100
    assert (ROOT / "scenarios" / "calibration" / f"{cum.preset}.yaml").is_file()
    assert set(design(4, seed=0, reading=cum).columns) == {f.key for f in cum.free}


def _wave(folder: Path, reading: str) -> Path:
    folder.mkdir()
    pd.DataFrame({"disputes.rate_per_10k": [100.0, 200.0]}).rename_axis("point").to_csv(folder / "design.csv")
    pd.DataFrame({"point": [0, 1], "plausible": [True, False], "I_max": [1.0, 4.0]}).to_csv(
        folder / "scores.csv", index=False)
    (folder / "args.json").write_text(json.dumps({"points": "1", "reading": reading}))
    return folder


def test_a_wave_of_another_reading_is_refused_in_one_line(tmp_path):
    wave = _wave(tmp_path / "w1", "cumulative")
    done = subprocess.run([sys.executable, "-m", "experiments.calibrate.history_match", "--points", "2",
                           "--within", str(wave), "--out", str(tmp_path / "w2")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: --within: is a wave of the cumulative reading, not 2022, got '{wave}'"
    assert not (tmp_path / "w2").exists()


def test_the_posterior_refuses_waves_of_two_readings(tmp_path):
    waves = [_wave(tmp_path / "a", "2022"), _wave(tmp_path / "b", "cumulative")]
    with pytest.raises(Exception, match="--waves: mix readings, got '2022 cumulative'"):
        posterior.main(["confirm", "--waves", *map(str, waves), "--out", str(tmp_path / "p")])


def _flat(tree: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in tree.items():
        key = f"{prefix}{k}"
        out.update(_flat(v, key + ".") if isinstance(v, dict) else {key: v})
    return out


def test_the_two_presets_differ_only_where_the_cumulative_reading_is_free():
    # what-ifs over either reading's draws set the free keys on top of a preset: a value held in one
    # preset and changed in the other alone would make the readings differ where nothing was fitted
    from omegaconf import OmegaConf

    from sim.api import compose_config

    one, cum = (_flat(OmegaConf.to_container(compose_config([f"calibration={r.preset}"]), resolve=True))
                for r in (READINGS["2022"], READINGS["cumulative"]))
    differ = {k for k in one.keys() | cum.keys() if one.get(k) != cum.get(k)}
    assert "disputes.rate_per_10k" in differ
    assert differ <= {f.key for f in READINGS["cumulative"].free}, differ
