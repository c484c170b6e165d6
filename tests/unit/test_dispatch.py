"""Dispatch by kind (四级指挥调度): the dispatch centres send the sectoral kinds to their sector's tier,
and only as often as ``governance.kind_dispatch`` says; everything else goes by intensity."""

import numpy as np
import pytest
from scipy import stats

from sim.checks import check
from sim.config import KINDS, Config
from sim.errors import ShouwangError
from sim.mechanisms.routing import RoutingPolicy

VILLAGE, TOWNSHIP, BANNER, CITY = range(4)


def _policy(**governance) -> RoutingPolicy:
    cfg = Config()
    for key, value in governance.items():
        setattr(cfg.governance, key, value)
    return RoutingPolicy(cfg, np.random.default_rng(3))


def test_sectoral_kinds_go_to_their_sector_and_the_rest_by_intensity():
    policy = _policy()
    calm, tense = 0.3, 1.2  # under the village cap; above it, under the township's
    assert policy.entry(calm, KINDS.index("compensation")) == BANNER
    assert policy.entry(calm, KINDS.index("consumer")) == BANNER
    assert policy.entry(calm, KINDS.index("labour")) == TOWNSHIP
    assert policy.entry(calm, KINDS.index("neighbour")) == VILLAGE
    assert policy.entry(tense, KINDS.index("neighbour")) == TOWNSHIP
    assert policy.entry(3.0, KINDS.index("labour")) == CITY  # a sector is a floor, never a ceiling


def test_a_closed_sector_tier_passes_to_the_next_open_one():
    policy = _policy(township_centres=False)
    assert policy.entry(0.3, KINDS.index("labour")) == BANNER


def test_without_dispatch_centres_kinds_go_by_intensity_alone():
    policy = _policy(kind_dispatch=0.0)
    assert {policy.entry(0.3, KINDS.index(k)) for k in KINDS} == {VILLAGE}


def test_a_share_of_kind_dispatch_routes_that_share():
    policy = _policy(kind_dispatch=0.5)
    n = 4000
    banner = sum(policy.entry(0.3, KINDS.index("compensation")) == BANNER for _ in range(n))
    assert stats.binomtest(banner, n, 0.5).pvalue > 0.001, banner


@pytest.mark.parametrize(("key", "value", "message"), [
    ("sector_tiers", {"labour": "court"}, "governance.sector_tiers.labour: unknown tier 'court'"),
    ("sector_tiers", {"yak": "banner"}, "governance.sector_tiers: unknown dispute kind 'yak'"),
    ("enterprise_kinds", ["yak"], "governance.enterprise_kinds: unknown dispute kind 'yak'"),
    ("kind_dispatch", 1.5, r"governance.kind_dispatch: a probability must be in \[0, 1\], got 1.5"),
])
def test_bad_dispatch_settings_name_the_key(key, value, message):
    cfg = Config()
    setattr(cfg.governance, key, value)
    with pytest.raises(ShouwangError, match="^" + message):
        check(cfg)
