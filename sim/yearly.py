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
from sim.records import RESOLVED_AT

OUTCOMES = ("resolved", "litigated", "criminal", "withdrawn")


def _in(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return (x >= lo) & (x < hi)


def by_year(years: list[tuple[str, int, int]], disputes: pd.DataFrame, visits: pd.DataFrame,
            daily: pd.DataFrame) -> dict[str, dict]:
    """One dict of headline figures per (label, first day, day after the last) in ``years``."""
    created = disputes["created_day"].to_numpy(float)
    closed = disputes["closed_day"].to_numpy(float)
    outcome = disputes["outcome"].to_numpy(object)
    satisfaction = disputes["satisfaction"].to_numpy(float)
    did = visits["dispute_id"].to_numpy(np.int64)
    agency = visits["agency"].astype(str).to_numpy(object)
    result = visits["result"].astype(str).to_numpy(object)
    to = visits["to"].astype(str).to_numpy(object) if "to" in visits else np.full(len(visits), "", object)
    arrived = visits["arrived_day"].to_numpy(float)
    ended = visits["ended_day"].to_numpy(float)
    at_centre = np.isin(agency, TIERS)
    # each mediated dispute: when it first reached a centre, and whether a centre resolved it
    first = pd.Series(arrived[at_centre]).groupby(did[at_centre]).min()
    by_centre = pd.Series(at_centre & (result == "resolved")).groupby(did).any()
    system = daily[daily["tier"] == "system"].set_index("day")
    fraud = system["fraud_cases"].to_numpy(float)
    background = system["background_crimes"].to_numpy(float) if "background_crimes" in system else np.zeros(len(system))
    court = agency == "court"
    referred = court & (result == "referred") & np.isin(to, TIERS)
    referred_ids = set(did[referred].tolist())
    after_court = at_centre & (result == "resolved") & np.isin(did, list(referred_ids))
    out: dict[str, dict] = {}
    for label, lo, hi in years:
        n_days = hi - lo
        ends = _in(closed, lo, hi)
        med = first[(first >= lo) & (first < hi)].index.to_numpy()
        med_closed = med[np.isfinite(closed[med])] if len(med) else med
        resolved_here = (result == "resolved") & _in(ended, lo, hi)
        where = np.where(agency == "neighbour", "grid", agency)
        year_fraud = fraud[lo:hi]
        window = min(30, max(len(year_fraud), 1))
        rolling = np.convolve(year_fraud, np.ones(window) / window, mode="valid") if len(year_fraud) else np.zeros(1)
        conversions = int((ends & (outcome == "criminal")).sum())
        judged = court & (result == "resolved") & _in(ended, lo, hi)
        out[label] = {
            "days": n_days,
            "disputes": {"created": int(_in(created, lo, hi).sum()),
                         **{o: int((ends & (outcome == o)).sum()) for o in OUTCOMES}},
            "resolved_at": {p: int((resolved_here & (where == p)).sum()) for p in RESOLVED_AT},
            "mediated_cases": len(med),
            "mediation_success_rate": (float(by_centre.loc[med_closed].mean()) if len(med_closed) else float("nan")),
            "satisfaction": float(satisfaction[ends].mean()) if ends.any() else float("nan"),
            "fraud_cases_per_day": float(year_fraud.mean()) if len(year_fraud) else float("nan"),
            "fraud_peak_per_day": float(rolling.max()),
            "police_incidents": int((agency[_in(arrived, lo, hi)] == "police").sum()),
            "petitions": int((agency[_in(arrived, lo, hi)] == "petition").sum()),
            "conversions": conversions,
            "background_crimes": int(background[lo:hi].sum()),
            "serious_crimes": int(background[lo:hi].sum()) + conversions,
            "court": {
                "filings": int((court & _in(arrived, lo, hi)).sum()),
                "referred_to_mediation": int((referred & _in(ended, lo, hi)).sum()),
                "settled_in_mediation": int((after_court & _in(ended, lo, hi)).sum()),
                "judgments": int(judged.sum()),
                "mean_days": float((ended[judged] - arrived[judged]).mean()) if judged.any() else float("nan"),
            },
        }
    return out
