"""The model's day and its books: conservation, flows, feedback."""

import numpy as np
import pytest

from sim.errors import ConservationError
from sim.model import ShouwangModel, check_conservation
from tests.conftest import demo_config


@pytest.fixture(scope="module")
def year():
    model = ShouwangModel(demo_config(days=365))
    for _ in range(365):
        model.step()
    model.finish()
    return model


def test_conservation_check_names_both_sides():
    counts = {"resolved": 5, "litigated": 1, "criminal": 0, "withdrawn": 1, "pending": 2}
    check_conservation(9, counts)
    with pytest.raises(ConservationError, match=r"created 10 != resolved 5 \+ litigated 1 .* \(= 9\)"):
        check_conservation(10, counts)


def test_a_lost_closure_is_caught():
    model = ShouwangModel(demo_config(days=40))
    for _ in range(40):
        model.step()
    model.finish()
    model.handling.closed["resolved"] -= 1  # a bug that loses one closure
    with pytest.raises(ConservationError, match="conservation broken"):
        model.finish()


def test_a_dispute_closed_twice_is_caught(year):
    done = next(d for d in year.ledger.disputes if d.outcome == "resolved")
    with pytest.raises(ConservationError, match=f"dispute {done.id} closed twice"):
        year.handling.close(done, "withdrawn", 400.0)


def test_disputes_climb_fewer_and_harder_up_the_tiers(year):
    ds = year.ledger.disputes
    resolved_at = {t: sum(d.resolved_tier == t for d in ds) for t in ("grid", "village", "township", "banner")}
    visits = year.visits.frame()
    # disputes whose parties went straight to court (courts.direct_share) never meet a village centre
    first = visits[~visits["agency"].isin(["grid", "neighbour"])].groupby("dispute_id")["agency"].first()
    direct = int((first.astype(str) == "court").sum())
    # the grassroots (基层: grid, village and township, evidence 1.8) settle most of what is not sued
    assert resolved_at["grid"] + resolved_at["village"] + resolved_at["township"] > 0.6 * (len(ds) - direct)
    # the township also takes police and court referrals (两所一中心), so compare climbs: of the
    # cases a village centre took, fewer reach the township, and fewer still the banner
    at = {t: set(visits.loc[visits["agency"] == t, "dispute_id"]) for t in ("village", "township", "banner")}
    assert len(at["village"]) > len(at["village"] & at["township"]) >= len(at["village"] & at["banner"])
    assert resolved_at["township"] > resolved_at["banner"]
    peak = np.array([d.peak_intensity for d in ds])
    reached = {t: peak[visits.loc[visits["agency"] == t, "dispute_id"].unique()]
               for t in ("village", "township", "banner")}
    assert np.mean(reached["township"]) > np.mean(reached["village"])
    assert (visits["agency"] == "police").any()


def test_times_are_ordered(year):
    for d in year.ledger.disputes:
        if not np.isnan(d.detected_day):
            assert d.detected_day >= d.created_day
        if d.outcome != "pending":
            assert d.closed_day >= d.detected_day >= d.created_day


def test_caseloads_read_from_the_agents_match_the_visit_record(year):
    from sim.agents import Court, Mediator, PolicePost

    visits = year.visits.frame()
    posts = year.agents_by_type[PolicePost]
    assert sum(posts.get("incidents")) == (visits["agency"] == "police").sum() > 0
    courts = year.agents_by_type[Court]
    # a case back from failed pre-suit mediation is one filing, not two
    assert sum(courts.get("filed")) == visits.loc[visits["agency"] == "court", "dispute_id"].nunique()
    # sessions held by mediators = visits at centres that reached a mediator
    sessions = year.agents_by_type[Mediator].groupby("tier").agg("sessions", sum)
    at_centres = visits[visits["agency"].isin(["village", "township", "banner", "city"])]
    served = at_centres[at_centres["started_day"].notna()].groupby("agency", observed=True).size()
    assert sessions[0] == served["village"] and sessions[1] == served["township"]


def test_police_caseload_is_checked_against_the_visits():
    model = ShouwangModel(demo_config(days=60))
    for _ in range(60):
        model.step()
    model.finish()
    next(iter(model.staff.posts.values())).incidents += 1  # a post that miscounts
    with pytest.raises(ConservationError, match="police posts answered"):
        model.finish()


def test_unhappy_closures_lower_trust():
    model = ShouwangModel(demo_config(days=1))
    idx = np.arange(100)
    before = model.population.trust[idx].copy()
    model.population.learn(idx, 0.1)
    assert (model.population.trust[idx] < before).all()


def test_more_grid_workers_find_disputes_earlier():
    lags = []
    for wpg in (1.0, 6.0):
        cfg = demo_config(days=120)
        cfg.staffing.grid_workers_per_grid = wpg
        cfg.staffing.visits_per_worker_day = 7.5  # the weekly norm (evidence 2.35): visits matter most
        model = ShouwangModel(cfg)
        for _ in range(120):
            model.step()
        lags.append(np.nanmean([d.detected_day - d.created_day for d in model.ledger.disputes]))
    assert lags[1] < 0.8 * lags[0]
