"""Hard staffing cuts and extra staff move the system in opposite directions (issue 3).

A demo county loaded six times above the baseline rate, with three villages per township (the
demo county at its default load never queues), four months, three seeds each; the same seeds
for every level (common random numbers). Directions are asserted on the means.
"""

import numpy as np
import pytest

from tests.conftest import simulate_all

STRESSED = ["city=demo_county", "days=120", "disputes.rate_per_10k=2000", "city.villages_per_township=3"]
LEVELS = {
    "cut": ["staffing.grid_workers_per_grid=1", "staffing.mediators.village=1"],
    "base": [],
    "extra": ["staffing=reinforced"],  # 5 grid workers per grid, 5 mediators per village centre
}
SEEDS = (0, 1, 2)


def _sued_after_mediation(visits) -> int:
    """Disputes a failed mediation sent to court (direct filings follow the disputes found, not
    the mediators' load; a case back from pre-suit mediation is not a new filing)."""
    v = visits.sort_values(["dispute_id", "step"])
    prev = v["agency"].astype(str).shift(1).where(v["dispute_id"].shift(1) == v["dispute_id"], "")
    court = v["agency"] == "court"
    first = court & ~v.loc[court, "dispute_id"].duplicated().reindex(v.index, fill_value=True)
    return int((first & prev.isin(["village", "township", "banner", "city"])).sum())


@pytest.fixture(scope="module")
def levels(tmp_path_factory):
    keys = [(name, seed) for name in LEVELS for seed in SEEDS]
    results = dict(zip(keys, simulate_all([(STRESSED + LEVELS[name] + [f"seed={seed}"],
                                            tmp_path_factory.mktemp(f"{name}{seed}")) for name, seed in keys])))
    out = {}
    for name in LEVELS:
        rows = []
        for seed in SEEDS:
            r = results[(name, seed)]
            s, d = r.summary, r.summary["disputes"]
            rows.append({"wait_village": s["mean_wait_days"]["village"], "litigated": _sued_after_mediation(r.visits),
                         "police": s["police_incidents"], "criminal": d["criminal"],
                         "on_the_spot": s["resolved_at"]["grid"], "satisfaction": s["satisfaction"],
                         "cost_per_resolved": s["cost_per_resolved"], "created": d["created"],
                         "days_to_close": float((r.disputes["closed_day"] - r.disputes["created_day"])[
                             r.disputes["outcome"] == "resolved"].mean())})
        out[name] = {k: float(np.mean([row[k] for row in rows])) for k in rows[0]}
    return out


@pytest.mark.slow
def test_cuts_lengthen_village_waits_and_extra_staff_shortens_them(levels):
    cut, base, extra = levels["cut"], levels["base"], levels["extra"]
    assert cut["wait_village"] > 3 * base["wait_village"] > 3 * extra["wait_village"]
    assert cut["wait_village"] > 2.0  # days


@pytest.mark.slow
def test_cuts_push_disputes_to_court_police_and_crime(levels):
    cut, base, extra = levels["cut"], levels["base"], levels["extra"]
    assert cut["police"] > base["police"] > extra["police"]
    # conversions (民转刑) are ~2 a run here: three seeds cannot resolve their direction (Poisson
    # sd ~0.8 on a mean of 2), so the call-outs above carry the police side of this check
    # suits after failed mediation are ~0 a run at the calibrated success: no direction to test
    assert cut["on_the_spot"] < base["on_the_spot"] < extra["on_the_spot"]
    # satisfaction costs ~0.0001 a day waited at the calibration, so staffing moves it by ~1e-5 here,
    # below the seed noise; the time to settlement it is computed from moves clearly
    assert cut["days_to_close"] > base["days_to_close"] > extra["days_to_close"], (cut, base, extra)
    assert cut["satisfaction"] < extra["satisfaction"]


@pytest.mark.slow
def test_same_arrivals_at_every_level_and_cost_follows_staff(levels):
    created = [levels[k]["created"] for k in LEVELS]
    assert max(created) - min(created) < 0.02 * max(created)  # common random numbers
    assert levels["cut"]["cost_per_resolved"] < levels["base"]["cost_per_resolved"] < levels["extra"]["cost_per_resolved"]
