"""The validation mode against queueing theory: Erlang C, Little's law, tandem routing shares.

Each tier in ``validation=mmc``/``tandem`` is an M/M/c queue, so theory gives the answers
(tests/validation/theory.py). Runs are seeded, so these tests are deterministic; tolerances are
stated per test and come from the replications' standard errors.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import Config, ValidationParams
from sim.validation import simulate_queues
from tests.validation.theory import mmc_wait, tandem_rates, tandem_shares

TANDEM = dict(arrivals_per_day=20.0, servers=[6, 4, 4, 1], service_days=[0.25, 0.5, 1.0, 1.0],
              escalate=[0.3, 0.4, 0.3, 0.0])  # scenarios/validation/tandem.yaml: utilisation 0.83, 0.75, 0.6, 0.72


def queues(seed: int, days: int, warmup: float, mode: str = "tandem", **params) -> dict:
    cfg = Config(seed=seed, days=days, validation=ValidationParams(mode=mode, warmup_days=warmup, **params))
    summary, _ = simulate_queues(cfg)
    return summary


DAYS, WARMUP = 3000, 50.0


@pytest.fixture(scope="module")
def tandem() -> dict:
    """One long run of the four-tier chain (~60,000 cases), shared by the tests below."""
    return queues(7, DAYS, WARMUP, **TANDEM)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("arrivals", "servers", "service", "days", "reps"),
    [
        (2.0, 1, 0.25, 4000, 4),  # utilisation 0.50, Wq = 0.2500 d
        (7.0, 3, 0.30, 2000, 4),  # utilisation 0.70, Wq = 0.1641 d
        (17.0, 4, 0.20, 3000, 6),  # utilisation 0.85, Wq = 0.2298 d
    ],
)
def test_mmc_mean_wait_matches_erlang_c(arrivals, servers, service, days, reps):
    """Mean wait of R replications (20-day warm-up dropped) against Erlang C.

    Theory: Wq = C(c, a) / (c*mu - lambda) with a = lambda/mu and C the Erlang C probability
    of waiting. Tolerance: the replication mean is within 3 standard errors of theory (and
    within 8%), and the standard error is at most 4% of theory, so the check is sharp.
    """
    theory = mmc_wait(arrivals, servers, service)
    waits = np.array([
        queues(100 + r, days, 20.0, "mmc", arrivals_per_day=arrivals, servers=[servers],
               service_days=[service], escalate=[0.0])["mean_wait_days"]["village"]
        for r in range(reps)
    ])
    mean, se = waits.mean(), waits.std(ddof=1) / np.sqrt(reps)
    assert se <= 0.04 * theory, f"too few customers for a sharp check: se {se:.4f}, theory {theory:.4f}"
    assert abs(mean - theory) <= 3 * se, f"mean wait {mean:.4f} vs Erlang C {theory:.4f} (se {se:.4f})"
    assert abs(mean / theory - 1) <= 0.08


def test_littles_law_and_tandem_rates_per_tier(tandem):
    """Per tier: time-averaged number in system L = lambda * W (sojourn) and Lq = lambda * Wq.

    L and Lq are exact time integrals of the queue, W and Wq means over cases: independent
    measurements. Tolerance 3% (edge effects of cases in the system at the end). The arrival
    rate of tier k is lambda * prod(escalate[:k]) within 4 Poisson standard errors (4/sqrt(n)),
    and the utilisation is the measured lambda_k * service / c within 4/sqrt(n) too.
    """
    s, days, warmup = tandem, DAYS, WARMUP
    rates = tandem_rates(TANDEM["arrivals_per_day"], TANDEM["escalate"])
    for k, tier in enumerate(("village", "township", "banner", "city")):
        q = s["queueing"][tier]
        tol = 4 / np.sqrt(rates[k] * (days - warmup))
        assert q["arrival_rate"] == pytest.approx(rates[k], rel=tol)
        assert q["mean_in_system"] == pytest.approx(q["arrival_rate"] * q["mean_sojourn_days"], rel=0.03)
        assert q["mean_in_queue"] == pytest.approx(q["arrival_rate"] * q["mean_wait_days"], rel=0.03)
        offered = q["arrival_rate"] * TANDEM["service_days"][k] / TANDEM["servers"][k]
        assert s["utilisation"][tier] == pytest.approx(offered, rel=tol)


def test_share_resolved_per_tier_of_a_tandem_chain(tandem):
    """Resolved at tier k: prod(escalate[:k]) * (1 - escalate[k]); the top tier takes the rest.

    With ~60,000 cases the binomial standard error of each share is below 0.002: tolerance 0.01.
    """
    s = tandem
    closed = s["disputes"]["resolved"]
    assert s["disputes"]["created"] == closed + s["disputes"]["pending"]
    assert s["disputes"]["litigated"] == s["disputes"]["criminal"] == s["disputes"]["withdrawn"] == 0
    for tier, share in zip(("village", "township", "banner", "city"), tandem_shares(TANDEM["escalate"])):
        assert s["resolved_at"][tier] / closed == pytest.approx(share, abs=0.01)
    assert s["resolved_at"]["grid"] == s["resolved_at"]["police"] == 0
