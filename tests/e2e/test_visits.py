"""visits.parquet: one record of every hop, written by every run, and the source of every count.

The checks recount from the visit rows with plain pandas (not the project's helper), and compare
with what the run reported through its other books: the summary, the daily counters kept while
the run went, the disputes table, and the agents' caseloads.
"""

import numpy as np
import pandas as pd
import pytest

import sim
from sim.records import AGENCIES, RESULTS
from sim.results import read_run

TIERS = ["village", "township", "banner", "city"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    # a hard year in the demo county: thin staff, so every route is taken
    overrides = ["city=demo_county", "days=240", "seed=3", "staffing.mediators.village=1",
                 "staffing.mediators.township=1", "mediation.escalate=0.9", "mediation.petition=0.5",
                 "calibration=none", "disputes.rate_per_10k=900"]
    return read_run(sim.simulate(overrides, run_dir=tmp_path_factory.mktemp("visits")).run_dir)


def test_every_hop_is_a_well_formed_row(run):
    v = run.visits
    assert list(v.columns[:8]) == ["dispute_id", "step", "agency", "centre", "arrived_day", "started_day",
                                   "ended_day", "result"]
    assert set(v["agency"].astype(str)) <= set(AGENCIES) and set(v["result"].astype(str)) <= set(RESULTS)
    # steps count 0, 1, 2 ... within each dispute, in time order
    for _, hops in v.groupby("dispute_id"):
        assert hops["step"].tolist() == list(range(len(hops)))
        assert (np.diff(hops["arrived_day"].to_numpy()) >= -1e-9).all()
    ended = v["result"] != "pending"
    assert (v.loc[ended, "ended_day"] >= v.loc[ended, "arrived_day"] - 1e-9).all()
    started = v["started_day"].notna()
    assert (v.loc[started, "started_day"] >= v.loc[started, "arrived_day"] - 1e-9).all()
    # every route of the ladder was taken in this hard year
    assert {"climbed", "referred", "resolved", "withdrew"} <= set(v["result"].astype(str))
    assert {"grid", "village", "township", "banner", "police", "court", "petition"} <= set(v["agency"].astype(str))


def test_summary_counts_equal_the_counts_from_the_visits(run):
    v, s, d = run.visits, run.summary, run.disputes
    at_centre = v[v["agency"].isin(TIERS)]
    # a pre-suit mediation the court referred (a centre's visit right after a court's) counts as a
    # mediated case only once it settles (official statistics count court-delegated mediation by its
    # successes); the ones that failed went back to court
    hops = v.sort_values(["dispute_id", "step"])
    after_court = (hops["agency"].shift(1) == "court") & (hops["dispute_id"].shift(1) == hops["dispute_id"])
    failed_referral = (after_court & (hops["result"] != "resolved")).reindex(v.index)
    assert after_court.sum() > 0
    counted = v[v["agency"].isin(TIERS) & ~failed_referral]
    assert s["mediated_cases"] == counted["dispute_id"].nunique() > 0
    assert s["police_incidents"] == (v["agency"] == "police").sum() > 0
    assert s["petitions"] == (v["agency"] == "petition").sum() > 0
    assert s["escalations"] == v["result"].isin(["climbed", "referred"]).sum()
    resolved = v[v["result"] == "resolved"]
    where = resolved["agency"].astype(str).replace({"neighbour": "grid"})
    for place in ("grid", "village", "township", "banner", "city", "police"):
        assert s["resolved_at"][place] == (where == place).sum(), place
    # and the disputes table agrees: each resolved dispute resolved where its last hop resolved
    assert s["disputes"]["resolved"] == (d["outcome"] == "resolved").sum()
    assert (d["resolved_tier"] != "").sum() == s["disputes"]["resolved"]
    served = at_centre[at_centre["started_day"].notna()]
    for tier in TIERS:
        rows = served[served["agency"] == tier]
        if len(rows):
            wait = (rows["started_day"] - rows["arrived_day"]).mean()
            assert s["mean_wait_days"][tier] == pytest.approx(wait, rel=1e-9, abs=1e-12)


def test_daily_counters_kept_during_the_run_match_the_visits(run):
    v, daily = run.visits, run.daily
    row_of = {"neighbour": "grid", "enterprise": "grid"}
    v = v.assign(row=v["agency"].astype(str).replace(row_of))
    arrivals = daily[daily["tier"] != "system"].groupby("tier")["arrivals"].sum()
    counted = v.groupby("row").size()
    for row, n in counted.items():
        assert arrivals[row] == n, row
    climbed = v["result"].isin(["climbed", "referred"]) & (v["to"].astype(str) != "court")
    escalated = daily[daily["tier"] != "system"].groupby("tier")["escalated"].sum()
    for row, n in v[climbed].groupby("row").size().items():
        assert escalated[row] == n, row
    to_court = (v["to"].astype(str) == "court").sum()
    assert daily["litigated"].sum() == to_court > 0
    # filings: every dispute that reached a court, once (a case back from pre-suit mediation is not
    # filed again; a direct filing after a self-report or a tech alert has no referring hop)
    assert run.summary["court"]["filings"] == v.loc[v["agency"] == "court", "dispute_id"].nunique() > 0
    courts = daily[daily["tier"] == "court"]
    assert courts["arrivals"].sum() == (v["agency"] == "court").sum()
    assert courts["resolved"].sum() == ((v["agency"] == "court") & (v["result"] == "resolved")).sum() \
        == run.summary["court"]["judgments"]


def test_paths_in_the_disputes_table_are_the_visits(run):
    v, d = run.visits, run.disputes
    joined = v.sort_values(["dispute_id", "step"]).groupby("dispute_id")["agency"].agg(
        lambda a: ">".join(a.astype(str)))
    paths = d.set_index("dispute_id")["path"]
    assert (paths.loc[joined.index] == joined).all()
    assert (paths.drop(joined.index) == "").all()  # never found or handled: no hop


def test_validation_mode_writes_visits_with_the_same_routes(tmp_path):
    r = read_run(sim.simulate(["validation=tandem", "days=60", "validation.warmup_days=0"], run_dir=tmp_path).run_dir)
    v = r.visits
    assert len(v) > 0 and set(v["agency"].astype(str)) <= set(TIERS)
    assert r.summary["mediated_cases"] == v["dispute_id"].nunique()
    assert r.summary["escalations"] == (v["result"] == "climbed").sum()
    assert isinstance(r.visits, pd.DataFrame) and set(r.banners.columns) >= {"mediated", "escalations", "petitions"}
