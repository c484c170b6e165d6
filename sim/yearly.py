"""``by_year``: the headline figures for each calendar year of a run (a reform timeline's years).

Flows are counted where they happen: disputes by the day they arose, closures and settlements
by the day they ended, mediated cases by the day a case first reached a centre, call-outs and
petitions by the day they began; serious crimes are the background cases of the year plus the
disputes that turned criminal (民转刑) that year. Everything comes from the run's tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config import TIERS
from sim.records import flow_counts

OUTCOMES = ("resolved", "litigated", "criminal", "withdrawn")


def _in(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return (x >= lo) & (x < hi)


def by_year(years: list[tuple[str, int, int]], disputes: pd.DataFrame, visits: pd.DataFrame,
            daily: pd.DataFrame) -> dict[str, dict]:
    """One dict of headline figures per (label, first day, day after the last) in ``years``.

    Counts of mediation, police, petitions and courts come from :func:`sim.records.flow_counts`
    (the summary's own helper), over the year's visits (by the day they began or ended) or, for
    mediated cases and their success, over the disputes whose first mediation began that year.
    """
    created = disputes["created_day"].to_numpy(float)
    closed = disputes["closed_day"].to_numpy(float)
    outcome = disputes["outcome"].to_numpy(object)
    satisfaction = disputes["satisfaction"].to_numpy(float)
    did = visits["dispute_id"].to_numpy(np.int64)
    arrived = visits["arrived_day"].to_numpy(float)
    ended = visits["ended_day"].to_numpy(float)
    at_centre = visits["agency"].isin(list(TIERS)).to_numpy()
    # each dispute's year of first mediation (len(years): never mediated)
    first = pd.Series(arrived[at_centre]).groupby(did[at_centre]).min()
    bounds = np.array([lo for _, lo, _ in years] + [years[-1][2]]) if years else np.array([0])
    year_of = np.full(len(disputes), len(years), dtype=np.int64)
    year_of[first.index.to_numpy()] = np.searchsorted(bounds, first.to_numpy(), side="right") - 1
    mediation = flow_counts(visits, len(years) + 1, year_of)
    system = daily[daily["tier"] == "system"].set_index("day")
    fraud = system["fraud_cases"].to_numpy(float)
    background = system["background_crimes"].to_numpy(float) if "background_crimes" in system else np.zeros(len(system))
    out: dict[str, dict] = {}
    for k, (label, lo, hi) in enumerate(years):
        ends = _in(closed, lo, hi)
        began = flow_counts(visits[_in(arrived, lo, hi)])
        done = flow_counts(visits[_in(ended, lo, hi)])
        year_fraud = fraud[lo:hi]
        window = min(30, max(len(year_fraud), 1))
        rolling = np.convolve(year_fraud, np.ones(window) / window, mode="valid") if len(year_fraud) else np.zeros(1)
        conversions = int((ends & (outcome == "criminal")).sum())
        med_ended = int(mediation["mediation_ended"][k])
        out[label] = {
            "days": hi - lo,
            "disputes": {"created": int(_in(created, lo, hi).sum()),
                         **{o: int((ends & (outcome == o)).sum()) for o in OUTCOMES}},
            "resolved_at": done["resolved_at"],
            "mediated_cases": int(mediation["mediated_cases"][k]),
            "mediation_success_rate": (float(mediation["mediation_resolved"][k] / med_ended) if med_ended
                                       else float("nan")),
            "satisfaction": float(satisfaction[ends].mean()) if ends.any() else float("nan"),
            "fraud_cases_per_day": float(year_fraud.mean()) if len(year_fraud) else float("nan"),
            "fraud_peak_per_day": float(rolling.max()),
            "police_incidents": began["police_incidents"],
            "petitions": began["petitions"],
            "conversions": conversions,
            "background_crimes": int(background[lo:hi].sum()),
            "serious_crimes": int(background[lo:hi].sum()) + conversions,
            "court": {
                "filings": began["court_filings"],
                "referred_to_mediation": done["court_referred"],
                "settled_in_mediation": done["court_settled"],
                "judgments": done["judgments"],
                "mean_days": float(done["court_days"] / done["judgments"]) if done["judgments"] else float("nan"),
            },
        }
    return out
