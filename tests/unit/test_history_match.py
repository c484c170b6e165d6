"""History matching's pieces: the design covers the ranges, implausibility follows its formula."""

import numpy as np
import pandas as pd

from experiments.calibrate.history_match import design, implausibility
from experiments.calibrate.readings import FREE, PATTERNS


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


def test_a_refocused_wave_samples_the_survivors_box_widened_within_the_prior(tmp_path):
    from experiments.calibrate.history_match import refocus

    earlier = design(8, seed=5)
    earlier.index.name = "point"
    earlier.to_csv(tmp_path / "design.csv")
    pd.DataFrame({"point": range(8), "plausible": [True, True] + [False] * 6,
                  "I_max": [1.0, 2.0] + [9.0] * 6}).to_csv(tmp_path / "scores.csv", index=False)
    box = earlier.loc[[0, 1]]
    tight, _ = refocus(tmp_path, 50, seed=1)
    wide, how = refocus(tmp_path, 50, seed=1, margin=0.25)
    assert "widened by 25%" in how
    for f in FREE:
        lo, hi, width = box[f.key].min(), box[f.key].max(), f.high - f.low
        assert tight[f.key].between(lo, hi).all()
        assert wide[f.key].between(max(f.low, lo - 0.25 * width), min(f.high, hi + 0.25 * width)).all()
        if lo - 0.25 * width > f.low:  # room below the box: the widened design uses it
            assert wide[f.key].min() < lo
