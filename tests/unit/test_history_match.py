"""History matching's pieces: the design covers the ranges, implausibility follows its formula."""

import numpy as np
import pandas as pd

from experiments.calibrate.history_match import FREE, PATTERNS, design, implausibility


def test_latin_hypercube_fills_each_range_once_per_stratum():
    points = design(10, seed=3)
    for f in FREE:
        x = points[f.key].to_numpy()
        assert (x >= f.low).all() and (x <= f.high).all()
        strata = np.floor((x - f.low) / (f.high - f.low) * 10).astype(int)
        assert sorted(strata) == list(range(10))  # one point in each tenth of the range
    assert design(10, seed=3).equals(points) and not design(10, seed=4).equals(points)


def test_implausibility_is_distance_over_combined_uncertainty():
    target = {p.name: p.value for p in PATTERNS}
    rows = []
    for seed, shift in ((0, 1.0), (1, -1.0)):  # two seeds straddling a point 2 obs-sd off
        row = {"point": 0, "seed": seed}
        for p in PATTERNS:
            row[p.name] = target[p.name] + 2 * p.sd + shift * p.sd
        rows.append(row)
    scores = implausibility(pd.DataFrame(rows))
    for p in PATTERNS:
        seed_sd = np.std([2 * p.sd + p.sd, 2 * p.sd - p.sd], ddof=1)
        assert np.isclose(scores.at[0, f"I_{p.name}"], 2 * p.sd / np.hypot(p.sd, seed_sd))
    assert bool(scores.at[0, "plausible"]) == (scores.at[0, "I_max"] <= 3)
