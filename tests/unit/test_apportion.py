import numpy as np
import pytest

from sim.world.apportion import apportion


def test_parts_sum_exactly_and_follow_weights():
    parts = apportion(6997, np.array([3.0, 1.0, 1.0]))
    assert parts.sum() == 6997
    assert parts[0] == pytest.approx(3 * parts[1], abs=2)


def test_minimum_is_honoured():
    parts = apportion(10, np.array([100.0, 0.0, 0.0]), minimum=1)
    assert parts.tolist() == [8, 1, 1]


def test_impossible_minimum_is_refused():
    with pytest.raises(ValueError, match="at least 2"):
        apportion(3, np.ones(2), minimum=2)
