"""Cross-check a tandem chain against Ciw, an independent queueing simulator."""

from __future__ import annotations

import ciw
import numpy as np
import pytest

from sim.config import Config, ValidationParams
from sim.validation import simulate_queues
from tests.validation.theory import mmc_wait, tandem_rates

ARRIVALS = 10.0
SERVERS = [4, 2, 1]
SERVICE = [0.25, 0.35, 0.5]
ESCALATE = [0.4, 0.3, 0.0]  # utilisation 0.625, 0.70, 0.60
DAYS, WARMUP, REPS = 2000, 50.0, 5


def ciw_waits(seed: int) -> np.ndarray:
    """Mean wait per node in Ciw's model of the same chain (cases arriving after the warm-up)."""
    routing = [[0.0] * 3 for _ in range(3)]
    routing[0][1], routing[1][2] = ESCALATE[0], ESCALATE[1]
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=ARRIVALS), None, None],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / s) for s in SERVICE],
        number_of_servers=SERVERS,
        routing=routing,
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(DAYS)
    recs = [r for r in sim.get_all_records() if r.arrival_date >= WARMUP]
    return np.array([np.mean([r.waiting_time for r in recs if r.node == k + 1]) for k in range(3)])


def ours_waits(seed: int) -> np.ndarray:
    cfg = Config(seed=seed, days=DAYS, validation=ValidationParams(
        mode="tandem", arrivals_per_day=ARRIVALS, servers=SERVERS, service_days=SERVICE,
        escalate=ESCALATE, warmup_days=WARMUP))
    summary, _ = simulate_queues(cfg)
    return np.array([summary["mean_wait_days"][t] for t in ("village", "township", "banner")])


@pytest.mark.slow
def test_tandem_waits_agree_with_ciw_and_theory():
    """Per tier, the two simulators' mean waits differ by less than 3 combined standard errors
    (and 12%), and both lie within 12% of the M/M/c mean wait of a Jackson network."""
    ours = np.array([ours_waits(10 + r) for r in range(REPS)])
    theirs = np.array([ciw_waits(10 + r) for r in range(REPS)])
    rates = tandem_rates(ARRIVALS, ESCALATE)
    theory = np.array([mmc_wait(rates[k], SERVERS[k], SERVICE[k]) for k in range(3)])
    se = np.sqrt(ours.var(axis=0, ddof=1) / REPS + theirs.var(axis=0, ddof=1) / REPS)
    gap = ours.mean(axis=0) - theirs.mean(axis=0)
    assert np.all(np.abs(gap) <= 3 * se), f"ours {ours.mean(axis=0)}, Ciw {theirs.mean(axis=0)}, se {se}"
    assert np.all(np.abs(gap) / theory <= 0.12)
    assert np.all(np.abs(ours.mean(axis=0) / theory - 1) <= 0.12), f"ours {ours.mean(axis=0)}, theory {theory}"
    assert np.all(np.abs(theirs.mean(axis=0) / theory - 1) <= 0.12), f"Ciw {theirs.mean(axis=0)}, theory {theory}"
