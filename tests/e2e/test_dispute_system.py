"""Courts that take time, pre-suit mediation, petitions and police referral on the demo county.

Every check recounts from the visit record with plain pandas and compares with what the run
reported through its other books (the courts' own caseloads in the summary, the disputes table).
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
from sim.config import CourtParams
from sim.results import read_run

TIERS = ["village", "township", "banner", "city"]
COURTS = CourtParams()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    # a busy year in the demo county with the default courts: enough pre-suit mediations for a
    # binomial check; first-cut mediation success (calibration=none) and more petitions after
    # failures, so that every route is taken
    overrides = ["city=demo_county", "days=300", "seed=5", "disputes.rate_per_10k=900", "calibration=none",
                 "petitions.after_failure=0.1"]
    return read_run(sim.simulate(overrides, run_dir=tmp_path_factory.mktemp("system")).run_dir)


def _ordered(v: pd.DataFrame) -> pd.DataFrame:
    v = v.sort_values(["dispute_id", "step"]).reset_index(drop=True)
    v["agency"] = v["agency"].astype(str)
    v["result"] = v["result"].astype(str)
    v["to"] = v["to"].astype(str)
    same = v["dispute_id"].shift(1) == v["dispute_id"]
    v["prev"] = v["agency"].shift(1).where(same, "")
    v["next"] = v["agency"].shift(-1).where(v["dispute_id"].shift(-1) == v["dispute_id"], "")
    return v


def test_books_balance(run):
    s = run.summary["disputes"]
    assert s["created"] == s["resolved"] + s["litigated"] + s["criminal"] + s["withdrawn"] + s["pending"]
    assert s["litigated"] > 0


def test_litigated_disputes_close_at_judgment_not_at_filing(run):
    v, d = _ordered(run.visits), run.disputes.set_index("dispute_id")
    court = v[v["agency"] == "court"]
    filed = court.groupby("dispute_id")["arrived_day"].min()
    litigated = d[d["outcome"] == "litigated"]
    assert len(litigated) > 50
    days = litigated["closed_day"] - filed.loc[litigated.index]
    assert (days > 0).all()
    # days to judgment are gamma with mean case_days (a returned case also spent its pre-suit days)
    assert 0.5 * COURTS.case_days < days.mean() < 1.5 * COURTS.case_days
    # every litigated dispute's last hop is a judgment at court; a case still in court is pending
    last = v.groupby("dispute_id").tail(1).set_index("dispute_id")
    assert (last.loc[litigated.index, "agency"] == "court").all()
    assert (last.loc[litigated.index, "result"] == "resolved").all()
    in_court = last[(last["agency"] == "court") & (last["result"] == "pending")].index
    assert len(in_court) > 0 and (d.loc[in_court, "outcome"] == "pending").all()


def test_court_referred_mediation_settles_at_its_configured_rate(run):
    v = _ordered(run.visits)
    referred = v[v["prev"] == "court"]
    assert set(referred["agency"]) <= {"township", "banner", "city"}  # never a village committee
    done = referred[referred["result"] != "pending"]
    settled = int((done["result"] == "resolved").sum())
    assert len(done) >= 100
    test = stats.binomtest(settled, len(done), COURTS.referral_success)
    assert test.pvalue > 0.001, (settled, len(done))
    # settled within the 30-day limit; the ones that failed went back to court for judgment
    ok = done[done["result"] == "resolved"]
    assert (ok["ended_day"] - ok["arrived_day"] <= COURTS.referral_limit_days + 1e-6).all()
    failed = done[done["result"] != "resolved"]
    assert (failed["to"] == "court").all() and (failed["next"] == "court").all()


def test_the_courts_books_equal_the_visits(run):
    v, c = _ordered(run.visits), run.summary["court"]
    court = v[v["agency"] == "court"]
    judged = court[court["result"] == "resolved"]
    assert c["filings"] == court["dispute_id"].nunique() > 0
    assert c["referred_to_mediation"] == ((court["result"] == "referred") & court["to"].isin(TIERS)).sum() > 0
    assert c["settled_in_mediation"] == ((v["prev"] == "court") & (v["result"] == "resolved")).sum() > 0
    assert c["judgments"] == len(judged) == (run.disputes["outcome"] == "litigated").sum()
    assert c["mean_days"] == pytest.approx((judged["ended_day"] - judged["arrived_day"]).mean())
    # official accounting: a pre-suit mediation counts as a mediated case once it settles
    at_centre = v["agency"].isin(TIERS) & ~((v["prev"] == "court") & (v["result"] != "resolved"))
    assert run.summary["mediated_cases"] == v.loc[at_centre, "dispute_id"].nunique()


def test_petitions_come_from_every_tier_and_are_held_within_the_norm(run):
    v = _ordered(run.visits)
    office = v[v["agency"] == "petition"]
    assert run.summary["petitions"] == len(office) > 0
    done = office[office["result"] != "pending"]
    held = done["ended_day"] - done["arrived_day"]
    assert (held > 0).all() and (held <= 90 + 1e-6).all()  # 60 days, +30 extension
    # the office refers each to the banner centre
    assert (done["to"] == "banner").all() and (done["next"] == "banner").all()
    # inflow: straight from the parties and after failures below the top of the ladder
    assert set(office["prev"]) & {"", "grid", "neighbour"}
    assert set(office["prev"]) & {"village", "township"}
    assert (office.groupby("dispute_id").size() == 1).all()  # once


def test_police_refer_to_the_township_centre_and_conversions_end_at_the_callout(run):
    v, d = _ordered(run.visits), run.disputes.set_index("dispute_id")
    police = v[v["agency"] == "police"]
    referred = police[police["result"] == "referred"]
    assert len(referred) > 0
    assert (referred["to"] == "township").all() and (referred["next"] == "township").all()
    # 两所一中心: the centre is the township centre of the post's township
    post_of = referred.set_index(referred.index + 1)["centre"]
    assert (v.loc[post_of.index, "centre"].to_numpy() == post_of.to_numpy()).all()
    criminal = d[d["outcome"] == "criminal"].index
    last = v.groupby("dispute_id").tail(1).set_index("dispute_id")
    assert (last.loc[criminal, "agency"] == "police").all() and (last.loc[criminal, "result"] == "failed").all()


def test_no_direct_routes_means_no_direct_filings_or_petitions(tmp_path):
    overrides = ["city=demo_county", "days=120", "seed=5", "calibration=none", "disputes.rate_per_10k=900",
                 "courts.direct_share=0", "petitions.direct_share=0",
                 "petitions.after_failure=0", "mediation.petition=0"]
    r = read_run(sim.simulate(overrides, run_dir=tmp_path).run_dir)
    v = _ordered(r.visits)
    court = v[v["agency"] == "court"]
    assert len(court) > 0 and set(court["prev"]) <= set(TIERS)  # only after failed mediation
    assert r.summary["court"]["referred_to_mediation"] == 0 and r.summary["petitions"] == 0
    assert np.isin(v["agency"], ["petition"]).sum() == 0


def test_the_petition_office_holds_each_case_for_its_handling_time(tmp_path):
    days, mean = 200, 20.0
    overrides = ["city=demo_county", f"days={days}", "seed=7", "courts.direct_share=0", "petitions.direct_share=1",
                 f"petitions.handling_days={mean}"]
    r = read_run(sim.simulate(overrides, run_dir=tmp_path).run_dir)
    v = _ordered(r.visits)
    office = v[v["agency"] == "petition"]
    early = office[office["arrived_day"] < days - 100]  # long done by the end: no censoring
    assert len(early) > 50 and (early["result"] == "referred").all()
    held = early["ended_day"] - early["arrived_day"]
    expected = mean * (1 - np.exp(-90 / mean))  # exponential cut at 60 + 30 days
    assert abs(held.mean() - expected) < 3 * mean / np.sqrt(len(held))
    # the office refers it to the banner centre, which the parties reach after their trip (hours)
    nxt = v.loc[early.index + 1]
    trip = nxt["arrived_day"].to_numpy() - early["ended_day"].to_numpy()
    assert (nxt["agency"] == "banner").all() and (trip >= -1e-9).all() and (trip < 1.0).all()


def test_dispatch_sends_the_sectoral_kinds_to_their_sector(run):
    # what the grid handed on, read from the visit record: the dispatch centres' decision per kind
    v, kinds = _ordered(run.visits), run.disputes.set_index("dispute_id")["kind"].astype(str)
    sent = v[v["agency"].isin(["grid", "neighbour"]) & (v["result"] == "referred") & v["to"].isin(TIERS)]
    tier = sent["to"].map(TIERS.index)
    kind = sent["dispute_id"].map(kinds)
    sector = kind.isin(["compensation", "consumer"])
    assert sector.sum() > 20 and (tier[sector] >= 2).all()  # banner centres and above
    assert (kind == "labour").sum() > 10 and (tier[kind == "labour"] >= 1).all()
    assert (tier[~sector & (kind != "labour")] == 0).mean() > 0.5  # the rest mostly at the village
