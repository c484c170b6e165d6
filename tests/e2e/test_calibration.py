"""The sensitivity machinery end to end (tiny), the calibrated defaults and the satisfaction mapping."""

from __future__ import annotations

import pandas as pd
import pytest

from experiments.sensitivity import run as sensitivity
from sim.api import simulate


@pytest.mark.slow
def test_sensitivity_screens_then_computes_sobol(tmp_path):
    folder = sensitivity.main(["n_jobs=1", "scenario=[city=demo_county,days=12]", "morris.trajectories=2",
                                          "sobol.n=4", "sobol.top=2", "--out", str(tmp_path / "sa"),
                                          "keep=[disputes.rate_per_10k,mediation.success_shift,staffing.mediators.village]"])
    morris = pd.read_csv(folder / "morris.csv")
    assert len(morris) == 3 * 5 and morris["mu_star"].ge(0).all()
    # more disputes a year means more mediated cases: the dispute rate dominates that output
    top = morris[morris["output"] == "mediated_cases"].sort_values("mu_star").iloc[-1]
    assert top["parameter"] == "disputes.rate_per_10k"
    sobol = pd.read_csv(folder / "sobol.csv")
    assert len(sobol) == 2 * 5 and set(sobol["parameter"]) <= set(morris["parameter"])
    assert len(pd.read_csv(folder / "sobol_runs.csv")) == 4 * (2 + 2)
    text = (folder / "report.md").read_text()
    assert "| mediated_cases | `disputes.rate_per_10k` 1.00" in text
    assert (folder / "morris.png").exists() and (folder / "sobol.png").exists()


def test_default_scenario_is_calibrated_and_calibration_none_is_the_schema():
    from sim.api import compose_config
    from sim.config import Config
    from sim.hydra_conf import to_config

    calibrated = to_config(compose_config([]))
    raw = to_config(compose_config(["calibration=none"]))
    assert calibrated.mediation.escalate > 0.95 and calibrated.satisfaction.resolved == 1.0
    assert raw.mediation.escalate == Config().mediation.escalate
    assert raw.satisfaction == Config().satisfaction
    # structure is never calibrated
    assert calibrated.city == raw.city and calibrated.staffing == raw.staffing


def test_satisfaction_mapping_sets_closure_scores(tmp_path):
    r = simulate(["city=demo_county", "days=40", "satisfaction.resolved=0.8", "satisfaction.per_day=0",
                  "satisfaction.per_level=0", "satisfaction.withdrawn=0.3"], run_dir=tmp_path / "s")
    d = r.disputes
    assert (d.loc[d["outcome"] == "resolved", "satisfaction"] == 0.8).all()
    assert (d.loc[d["outcome"] == "withdrawn", "satisfaction"] == 0.3).all()
    assert d.loc[d["outcome"] == "pending", "satisfaction"].isna().all()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["satisfaction.resolved=1.5"], "satisfaction.resolved: a probability must be in [0, 1], got 1.5"),
        (["governance.fraud_awareness_factor=2.0"],
         "governance.fraud_awareness_factor: residents.awareness_mean x factor must be in (0, 1), got 2.0"),
    ],
)
def test_bad_calibration_values_are_refused(tmp_path, overrides, message):
    from sim.errors import ShouwangError

    with pytest.raises(ShouwangError) as err:
        simulate(["city=demo_county", "days=5"] + overrides, run_dir=tmp_path / "x")
    assert str(err.value) == message
