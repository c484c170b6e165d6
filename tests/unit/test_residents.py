"""Residents' individual state: sizes, lazy relaxation, learning."""

import numpy as np
import pytest

from sim.agents import ResidentPopulation
from sim.config import ResidentParams


@pytest.fixture
def pop():
    return ResidentPopulation(np.array([1000, 500, 0, 250]), 0.5, ResidentParams(), np.random.default_rng(0))


def test_each_grid_keeps_its_share(pop):
    assert pop.n == 875
    assert pop.per_grid.tolist() == [500, 250, 0, 125]
    assert pop.grid_of(np.array([0, 499, 500, 874])).tolist() == [0, 0, 1, 3]


def test_tension_relaxes_back_to_baseline(pop):
    idx = np.array([3])
    base = float(pop.tension_base[3])
    pop.add_tension(idx, 0.2, day=10)
    assert pop.tension(idx, 10)[0] == pytest.approx(min(base + 0.2, 1.0), rel=1e-5)
    later = pop.tension(idx, 10 + 3 * ResidentParams().tension_decay_days)[0]
    assert base < later < base + 0.2 * 0.06


def test_awareness_rises_with_visits_and_fades(pop):
    idx = np.array([7])
    before = pop.fraud_awareness(idx, 0)[0]
    pop.raise_awareness(idx, 0.5, 0)
    assert pop.fraud_awareness(idx, 0)[0] == pytest.approx(1 - (1 - before) * 0.5, rel=1e-5)
    assert pop.fraud_awareness(idx, 365)[0] < pop.fraud_awareness(idx, 0)[0]


def test_trust_moves_towards_satisfaction(pop):
    idx = np.array([1, 2])
    pop.trust[idx] = 0.5
    pop.learn(idx, 1.0)
    assert np.allclose(pop.trust[idx], 0.5 + ResidentParams().trust_learning * 0.5)
