"""``by_year``: the headline figures for each calendar year of a run (a reform timeline's years).

Flows are counted where they happen: disputes by the day they arose, closures and settlements
by the day they ended, mediated cases by the day a case first reached a centre, call-outs and
petitions by the day they began; serious crimes are the background cases of the year plus the
disputes that turned criminal (民转刑) that year. Everything comes from the run's tables.

Below scale 1 a run simulates a weighted sample of whole townships (:mod:`sim.world.sample`): every
count is then the weighted count for the whole city (each township's cases count ``weight``
times, as the summary's ``*_per_10k`` figures do), fraud and background crime (not tied to a
place) are divided by the sampled share, and rates are weighted the same way. At scale 1 every
weight is 1 and the counts are the run's own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config import TIERS
from sim.records import flow_counts

OUTCOMES = ("resolved", "litigated", "criminal", "withdrawn")


def _in(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return (x >= lo) & (x < hi)


def _count(x: np.ndarray | float, weighted: bool) -> int | float:
    """A count as the summary shows it: whole at scale 1, one decimal when weighted to the city."""
    return round(float(x), 1) if weighted else int(x)


def by_year(years: list[tuple[str, int, int]], disputes: pd.DataFrame, visits: pd.DataFrame,
            daily: pd.DataFrame, township: np.ndarray | None = None, weights: np.ndarray | None = None,
            share: float = 1.0) -> dict[str, dict]:
    """One dict of headline figures per (label, first day, day after the last) in ``years``.

    Counts of mediation, police, petitions and courts come from :func:`sim.records.flow_counts`
    (the summary's own helper), over the year's visits (by the day they began or ended) or, for
    mediated cases and their success, over the disputes whose first mediation began that year.

    Args:
        years: (label, first day, day after the last) of each year.
        disputes, visits, daily: the run's tables.
        township: the sampled township of each dispute (``dispute_id`` order); with ``weights``
            (per sampled township) the counts are weighted to the city. None: the run's own counts.
        share: the sampled share of the city's residents (fraud and background crime are divided by it).
    """
    weighted = township is not None and weights is not None and not np.allclose(weights, 1.0)
    town = np.zeros(len(disputes), dtype=np.int64) if township is None else np.asarray(township, np.int64)
    w = np.ones(1) if township is None or weights is None else np.asarray(weights, float)
    nt = len(w)
    wd = w[town]  # each dispute's weight
    per_share = share if weighted else 1.0

    def flows(rows: pd.DataFrame) -> dict:
        """flow_counts of some visits, each township's counts times its weight, summed."""
        raw = flow_counts(rows, nt, town)
        out: dict = {k: float(np.dot(w, v)) for k, v in raw.items() if not isinstance(v, dict)}
        out["resolved_at"] = {k: _count(np.dot(w, v), weighted) for k, v in raw["resolved_at"].items()}
        return out

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
    # grouped by (year of first mediation, township), then weighted over townships
    by_year_town = flow_counts(visits, (len(years) + 1) * nt, year_of * nt + town)
    mediation = {k: np.asarray(by_year_town[k], float).reshape(len(years) + 1, nt) @ w
                 for k in ("mediated_cases", "mediation_resolved", "mediation_ended")}
    system = daily[daily["tier"] == "system"].set_index("day")
    fraud = system["fraud_cases"].to_numpy(float)
    background = system["background_crimes"].to_numpy(float) if "background_crimes" in system else np.zeros(len(system))
    out: dict[str, dict] = {}
    for k, (label, lo, hi) in enumerate(years):
        ends = _in(closed, lo, hi)
        began = flows(visits[_in(arrived, lo, hi)])
        done = flows(visits[_in(ended, lo, hi)])
        year_fraud = fraud[lo:hi] / per_share
        window = min(30, max(len(year_fraud), 1))
        rolling = np.convolve(year_fraud, np.ones(window) / window, mode="valid") if len(year_fraud) else np.zeros(1)
        conversions = _count(wd[ends & (outcome == "criminal")].sum(), weighted)
        background_year = _count(background[lo:hi].sum() / per_share, weighted)
        med_ended = float(mediation["mediation_ended"][k])
        rated = ends & np.isfinite(satisfaction)
        out[label] = {
            "days": hi - lo,
            "disputes": {"created": _count(wd[_in(created, lo, hi)].sum(), weighted),
                         **{o: _count(wd[ends & (outcome == o)].sum(), weighted) for o in OUTCOMES}},
            "resolved_at": done["resolved_at"],
            "mediated_cases": _count(mediation["mediated_cases"][k], weighted),
            "mediation_success_rate": (float(mediation["mediation_resolved"][k] / med_ended) if med_ended
                                       else float("nan")),
            "satisfaction": (float(np.average(satisfaction[rated], weights=wd[rated])) if rated.any()
                             else float("nan")),
            "fraud_cases_per_day": float(year_fraud.mean()) if len(year_fraud) else float("nan"),
            "fraud_peak_per_day": float(rolling.max()),
            "police_incidents": _count(began["police_incidents"], weighted),
            "petitions": _count(began["petitions"], weighted),
            "conversions": conversions,
            "background_crimes": background_year,
            "serious_crimes": _count(background_year + conversions, weighted),
            "court": {
                "filings": _count(began["court_filings"], weighted),
                "referred_to_mediation": _count(done["court_referred"], weighted),
                "settled_in_mediation": _count(done["court_settled"], weighted),
                "judgments": _count(done["judgments"], weighted),
                "mean_days": float(done["court_days"] / done["judgments"]) if done["judgments"] else float("nan"),
            },
        }
    return out
