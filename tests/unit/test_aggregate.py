"""The aggregator's confidence intervals against known samples (issue 3)."""

import math

import numpy as np
import pandas as pd
import pytest

from experiments.aggregate import ci_table, paired_differences, swept, t_interval


def test_t_interval_of_a_known_sample():
    # 1..5: mean 3, sd sqrt(2.5); t(0.975, 4) = 2.776445; half-width 2.776445 * sqrt(2.5) / sqrt(5)
    mean, sd, low, high = t_interval(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    half = 2.7764451051977987 * math.sqrt(2.5) / math.sqrt(5)
    assert mean == 3.0 and sd == pytest.approx(math.sqrt(2.5))
    assert (low, high) == pytest.approx((3 - half, 3 + half))  # (1.0368, 4.9632)
    assert low == pytest.approx(1.036757, abs=1e-6)


def test_t_interval_edge_cases():
    assert all(math.isnan(v) for v in t_interval(np.array([])))
    mean, _, low, high = t_interval(np.array([2.0]))
    assert mean == 2.0 and math.isnan(low) and math.isnan(high)
    assert t_interval(np.array([4.0, 4.0, 4.0]))[2:] == (4.0, 4.0)
    assert t_interval(np.array([1.0, np.nan, 3.0]))[0] == 2.0  # NaN runs are left out


def test_interval_covers_the_true_mean_95_percent_of_the_time():
    rng = np.random.default_rng(7)
    samples = rng.normal(10.0, 3.0, size=(2000, 5))
    covered = np.mean([lo <= 10.0 <= hi for _, _, lo, hi in map(t_interval, samples)])
    assert 0.93 < covered < 0.97


def test_ci_table_groups_and_counts():
    df = pd.DataFrame({"staffing": ["a"] * 3 + ["b"] * 3, "seed": ["0", "1", "2"] * 2,
                       "wait": [1.0, 2.0, 3.0, 10.0, 10.0, 13.0]})
    agg = ci_table(df, ["staffing"], ["wait"]).set_index("staffing")
    assert agg.loc["a", "n"] == 3 and agg.loc["a", "mean"] == 2.0
    assert agg.loc["b", "mean"] == 11.0 and agg.loc["b", "sd"] == pytest.approx(math.sqrt(3))
    assert agg.loc["a", "ci_low"] == pytest.approx(2 - 4.302652729911275 * 1 / math.sqrt(3))
    assert swept(df) == ["staffing"]


def test_paired_differences_use_the_seed_pairs():
    # the seeds' shared noise (100, 200, 300) cancels in the pairs: the difference is 2 +- 0.1
    ref = np.array([100.0, 200.0, 300.0, 400.0])
    other = ref + np.array([2.1, 1.9, 2.0, 2.0])
    df = pd.DataFrame({"gov": ["classified"] * 4 + ["urban"] * 4, "seed": [str(s) for s in range(4)] * 2,
                       "x": np.concatenate([ref, other])})
    d = paired_differences(df, "gov", "classified", ["x"]).iloc[0]
    _, _, low, high = t_interval(other - ref)
    assert d["mean_diff"] == pytest.approx(2.0) and (d["ci_low"], d["ci_high"]) == pytest.approx((low, high))
    assert high - low < 0.5  # unpaired, the two intervals would each be ~200 wide


def test_expand_makes_the_jobs_hydras_basic_sweeper_makes():
    from hydra._internal.core_plugins.basic_sweeper import (
        BasicSweeper,  # the reference, in a test only
    )
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from experiments.runs import expand

    lines = ["+experiment=staffing_whatif", "staffing=a,b,c", "seed=range(0,5)", "days=3", "seed=0,1",
             "+governance.banner_models={},{Chen Barag Banner: urban}"]
    hydra_jobs = BasicSweeper.split_arguments(OverridesParser.create().parse_overrides(lines), None)[0]
    assert expand(lines) == hydra_jobs
    assert len(hydra_jobs) == 3 * 2 * 2  # the later seed=0,1 replaced range(0,5)


def test_replications_are_counted_from_the_runs():
    from experiments.sweep_report import _settings, replications_text

    runs = pd.DataFrame({"staffing": ["a", "a", "a", "b", "b"], "seed": ["0", "1", "2", "0", "1"]})
    assert replications_text(with_settings(runs)) == "2-3 replications"
    assert replications_text(with_settings(runs[runs["staffing"] == "a"])) == "3 replications"
    assert replications_text(with_settings(runs.head(1))) == "1 replication"
    # a key set in some runs only is shown as its default, never as "nan"
    mixed = pd.DataFrame({"level": ["1", "2", None], "seed": ["0", "0", "0"]})
    assert list(_settings(mixed, ["level"])[0]["setting"]) == ["1", "2", "default"]


def with_settings(runs: pd.DataFrame) -> pd.DataFrame:
    from experiments.sweep_report import _settings

    return _settings(runs, swept(runs))[0]
