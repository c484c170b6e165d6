"""Courts, pre-suit mediation, petitions and police referral as SimPy event logs on tiny setups."""

from __future__ import annotations

import mesa
import numpy as np
import pytest
import simpy
from scipy import stats

from sim.agents import Court
from sim.config import Config, CourtParams, PetitionParams
from sim.mechanisms.catalogue import CATALOGUE
from sim.mechanisms.courts import judgment_days, limited_days, referral_tier
from sim.mechanisms.petitions import petitions_after_failure


def _court(judges: int = 1, per_judge: float = 1.0) -> tuple[simpy.Environment, Court]:
    env = simpy.Environment()
    return env, Court(mesa.Model(), env, banner=0, judges=judges, case_days=60.0, cases_per_judge=per_judge)


def test_a_court_with_one_slot_judges_cases_one_after_another():
    env, court = _court()
    log: list[tuple[str, float, float]] = []

    def case(name: str, days: float):
        started = yield from court.judge(days)
        log.append((name, started, env.now))

    for name, days in (("a", 10.0), ("b", 5.0), ("c", 1.0)):
        env.process(case(name, days))
    env.run()
    # FIFO: b waits for a's 10 days, c for a's and b's
    assert log == [("a", 0.0, 10.0), ("b", 10.0, 15.0), ("c", 15.0, 16.0)]
    assert court.decided == 3
    # days to judgment run from filing: 10, 15, 16
    assert court.mean_days == pytest.approx((10 + 15 + 16) / 3)


def test_case_slots_are_judges_times_cases_a_judge_carries():
    env, court = _court(judges=2, per_judge=1.5)  # 3 slots
    ends = []

    def case():
        yield from court.judge(4.0)
        ends.append(env.now)

    for _ in range(4):
        env.process(case())
    env.run()
    assert ends == [4.0, 4.0, 4.0, 8.0]


def test_slots_cannot_change_with_cases_in_court():
    env, court = _court()

    def case():
        yield from court.judge(3.0)

    env.process(case())
    env.run(until=1.0)
    with pytest.raises(RuntimeError, match="case slots changed with cases in court"):
        court.open_slots(2.0)


def test_online_hearings_save_the_parties_travel():
    env, court = _court(judges=1, per_judge=2.0)

    def case(online: bool, km: float):
        yield from court.judge(1.0, online, km)

    env.process(case(True, 0.0))
    env.process(case(False, 120.0))
    env.run()
    assert court.online == 1 and court.travel_km == 120.0


def test_judgment_days_have_the_configured_mean_and_shape():
    rng = np.random.default_rng(1)
    cp = CourtParams(case_days=60.0, case_shape=2.0)
    days = np.array([judgment_days(rng, cp) for _ in range(20000)])
    assert days.mean() == pytest.approx(60.0, rel=0.03)
    # gamma(2): sd = mean / sqrt(2); most cases inside the simple procedure's three months
    assert days.std() == pytest.approx(60.0 / np.sqrt(2), rel=0.05)
    assert (days <= 90).mean() == pytest.approx(stats.gamma(2, scale=30).cdf(90), abs=0.01)


def test_a_norm_cuts_the_days_at_its_limit():
    rng = np.random.default_rng(2)
    days = np.array([limited_days(rng, 30.0, 90.0) for _ in range(20000)])
    assert days.max() == 90.0
    # exponential mean 30 cut at 90: mean 30 (1 - e^-3)
    assert days.mean() == pytest.approx(30 * (1 - np.exp(-3)), rel=0.03)
    assert (days == 90.0).mean() == pytest.approx(np.exp(-3), abs=0.01)


def test_courts_refer_to_the_township_centre_or_above_never_to_a_village():
    assert referral_tier([0, 1, 2, 3], 0) == 1
    assert referral_tier([0, 1, 2, 3], 2) == 2  # too tense for the township: the banner centre
    assert referral_tier([0, 2, 3], 0) == 2  # no township centres (before the reform)
    assert referral_tier([2, 3], 3) == 3


def test_a_dispute_petitions_at_most_once():
    rng = np.random.default_rng(3)
    pp = PetitionParams(after_failure=0.3)
    draws = [petitions_after_failure(rng, pp, False) for _ in range(4000)]
    assert np.mean(draws) == pytest.approx(0.3, abs=0.03)
    assert not any(petitions_after_failure(rng, pp, True) for _ in range(100))


def test_the_mechanisms_are_declared_with_their_keys():
    import sim.mechanisms  # noqa: F401

    for name, key in (("court_referred_mediation", "courts.referral_success"), ("court_judgment", "courts.case_days"),
                      ("direct_filing", "courts.direct_share"), ("online_hearing", "courts.online_share"),
                      ("petition", "petitions.after_failure"), ("direct_petition", "petitions.direct_share"),
                      ("police_referral", "governance.township_centres")):
        assert key in CATALOGUE[name].keys, name
        for declared in CATALOGUE[name].keys:  # every key names a real setting
            node = Config()
            for part in declared.split("."):
                node = getattr(node, part)
