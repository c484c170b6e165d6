"""``validation=tandem``/``mmc`` through the normal entry points: the run contract and its checks."""

from __future__ import annotations

import json

import pytest

from sim.api import simulate
from sim.errors import ShouwangError


def test_tandem_run_writes_the_contract_with_exact_servers(tmp_path):
    r = simulate(["validation=tandem", "days=200", "scale=0.1"], run_dir=tmp_path / "t")
    s = json.loads((tmp_path / "t" / "summary.json").read_text())
    assert s["disputes"] == r.summary["disputes"] and s["queueing"] == r.summary["queueing"]
    assert s["mediators_by_tier"] == {"village": 6, "township": 4, "banner": 4, "city": 1}
    assert s["mediators"] == 15 and s["population"] == 0 and s["grid_workers"] == 0
    for key in ("mean_wait_days", "utilisation", "resolved_at", "disputes", "mediated_cases", "queueing"):
        assert key in s
    d = r.disputes
    assert len(d) == s["disputes"]["created"] > 3000  # ~20 a day
    assert set(d["outcome"]) <= {"resolved", "pending"}
    assert d["path"].str.startswith("village").all()
    assert (d["detected_day"] == d["created_day"]).all()
    assert set(r.daily["tier"]) >= {"village", "township", "banner", "city", "system"}
    assert r.daily.loc[r.daily["tier"] == "village", "arrivals"].sum() == len(d)
    assert r.banners.loc[0, "created"] == len(d)
    # scale plays no part: the same seed gives the same disputes at any scale
    again = simulate(["validation=tandem", "days=200", "scale=1.0"], run_dir=tmp_path / "u")
    assert again.summary["disputes"] == r.summary["disputes"]


def test_mmc_is_one_tier(tmp_path):
    r = simulate(["validation=mmc", "days=100", "validation.servers=[2]", "validation.arrivals_per_day=4"],
                 run_dir=tmp_path / "m")
    assert r.summary["resolved_at"]["village"] == r.summary["disputes"]["resolved"]
    assert r.summary["mediators_by_tier"] == {"village": 2, "township": 0, "banner": 0, "city": 0}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["validation=mmc", "validation.servers=[2,2]"], "validation.servers: mode mmc has one tier, got 2"),
        (["validation=tandem", "validation.escalate=[0.5]"],
         "validation.escalate: needs 4 values (one per tier in validation.servers), got 1"),
        (["validation=tandem", "validation.servers=[1,1,1,1,1]",
          "validation.service_days=[1,1,1,1,1]", "validation.escalate=[0,0,0,0,0]"],
         "validation.servers: needs 1 to 4 tiers, got 5"),
        (["validation=mmc", "validation.servers=[0]"], "validation.servers[0]: must be >= 1, got 0"),
        (["validation=mmc", "validation.escalate=[1.5]"], "validation.escalate[0]: a probability must be in [0, 1], got 1.5"),
        (["validation.mode=mm1"], "validation.mode: must be none, tandem or mmc, got 'mm1'"),
    ],
)
def test_bad_validation_settings_are_refused(tmp_path, overrides, message):
    with pytest.raises(ShouwangError) as err:
        simulate(overrides + ["days=5"], run_dir=tmp_path / "x")
    assert str(err.value) == message
