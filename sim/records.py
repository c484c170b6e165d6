"""One record of every hop (``visits.parquet``) and the one helper that derives counts from it.

A *visit* is one dispute handled at one place: the grid (a grid worker, or the grid + police grid
unit, on the spot), a neighbour head or herder sentinel (邻长, 牧民哨兵), a mediation centre
(village .. city), an enterprise mediator, a police post, a court, or a petition office (信访).
Every count in ``summary.json``, ``banners.parquet`` and ``daily.parquet`` that concerns
mediation, escalation or police is derived from these rows by :func:`flow_counts` (or, during a
run, from the same rows as they are written): ``sim/``, ``experiments/aggregate.py`` and the
calibration and sensitivity code all call it, so a metric has one definition.

Results of a visit:
    resolved: settled here (at a court: judged, the dispute closing "litigated").
    climbed: sent up the mediation ladder.
    referred: sent to another agency (police, court, petition, a centre after a call-out or a
        petition, pre-suit mediation from court, back to court after it).
    failed: ended here with a criminal case (民转刑).
    withdrew: the parties gave up (in the queue or after a failed session).
    pending: still here when the run ended.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config import TIERS

AGENCIES = ("grid", "neighbour", "village", "township", "banner", "city", "enterprise", "police",
            "court", "petition")
RESULTS = ("resolved", "climbed", "referred", "failed", "withdrew", "pending")
ROWS = ("grid",) + TIERS + ("police", "court", "petition")
"""Rows of the daily table: where disputes are handled (neighbour heads and enterprise mediators
count in the grid row, as handling inside the grid)."""
COLUMNS = ("arrivals", "resolved", "escalated", "withdrawn", "litigated", "criminal")
ROW_OF_AGENCY = np.array([ROWS.index(a) if a in ROWS else 0 for a in AGENCIES])
_ROW = tuple(ROW_OF_AGENCY.tolist())  # plain ints: indexing numpy one value at a time costs more
MEDIATION = np.array([a in TIERS for a in AGENCIES])
RESOLVED_AT = ("grid",) + TIERS + ("police", "enterprise")
"""Where resolved disputes were settled (``neighbour`` counts as ``grid``); disputes the parties
settled themselves before anyone found them have no visit (``resolved_tier`` "self")."""
_AGENCY = {a: i for i, a in enumerate(AGENCIES)}
_RESULT = {r: i for i, r in enumerate(RESULTS)}


@dataclass(slots=True)
class Visit:
    """One open visit: the row being written while a dispute is at a place."""

    row: int
    agency: int


class VisitLog:
    """All visits of a run as growing columns, and today's counts for the daily table.

    :meth:`arrive` opens a row, :meth:`start` marks when handling began (a mediator, an officer),
    :meth:`end` closes it with a result; the daily counts are kept in :meth:`end` and
    :meth:`arrive` only, so they cannot drift from the rows.
    """

    def __init__(self) -> None:
        self.dispute: list[int] = []
        self.step: list[int] = []
        self.agency: list[int] = []
        self.centre: list[int] = []
        self.arrived: list[float] = []
        self.started: list[float] = []
        self.ended: list[float] = []
        self.result: list[int] = []
        self.next_agency: list[int] = []
        self.today = np.zeros((len(ROWS), len(COLUMNS)), dtype=np.int64)

    def __len__(self) -> int:
        return len(self.dispute)

    def arrive(self, dispute: int, step: int, agency: str, centre: int, when: float) -> Visit:
        """Open a row: the dispute reaches an agency's centre at ``when``; returns the visit to start and end."""
        a = _AGENCY[agency]
        self.dispute.append(dispute)
        self.step.append(step)
        self.agency.append(a)
        self.centre.append(centre)
        self.arrived.append(when)
        self.started.append(np.nan)
        self.ended.append(np.nan)
        self.result.append(_RESULT["pending"])
        self.next_agency.append(-1)
        self.today[_ROW[a], 0] += 1
        return Visit(len(self.dispute) - 1, a)

    def start(self, visit: Visit, when: float) -> None:
        """Handling of the visit began at ``when`` (after any queue: the wait is ``started - arrived``)."""
        self.started[visit.row] = when

    def end(self, visit: Visit, result: str, when: float, to: str = "") -> None:
        """Close a visit; ``to`` names the agency a climb or referral goes to."""
        r = _RESULT[result]
        self.ended[visit.row] = when
        self.result[visit.row] = r
        if to:
            self.next_agency[visit.row] = _AGENCY[to]
        if result == "resolved":
            column = 1
        elif result == "withdrew":
            column = 3
        elif result == "failed":
            column = 5
        elif to == "court":
            column = 4
        else:  # climbed or referred elsewhere
            column = 2
        self.today[_ROW[visit.agency], column] += 1

    def frame(self) -> pd.DataFrame:
        """``visits.parquet``: one row per dispute per place, in the order the visits began."""
        return pd.DataFrame({
            "dispute_id": np.array(self.dispute, dtype=np.int64),
            "step": np.array(self.step, dtype=np.int64),
            "agency": pd.Categorical.from_codes(np.array(self.agency, dtype=np.int64), categories=AGENCIES),
            "centre": np.array(self.centre, dtype=np.int64),
            "arrived_day": np.array(self.arrived, dtype=float),
            "started_day": np.array(self.started, dtype=float),
            "ended_day": np.array(self.ended, dtype=float),
            "result": pd.Categorical.from_codes(np.array(self.result, dtype=np.int64), categories=RESULTS),
            "to": pd.Categorical.from_codes(np.array(self.next_agency, dtype=np.int64), categories=AGENCIES),
        })


def flow_counts(visits: pd.DataFrame, n_groups: int = 1, group: np.ndarray | None = None) -> dict:
    """The counts of mediation, escalation and police that every report uses, from visits alone.

    Args:
        visits: rows of ``visits.parquet``.
        n_groups: number of groups (e.g. banners); 1 for the whole run.
        group: group of each dispute, indexed by ``dispute_id`` (None: one group).

    Returns:
        A dict of arrays of length ``n_groups`` (one group: plain numbers):
        ``mediated_cases`` (disputes a mediation centre of any tier took, queue included; a
        court-referred (pre-suit) mediation counts only once it settles, as the official statistics
        count court-delegated mediation among people's mediation by its successes: evidence 1.1),
        ``mediation_resolved`` (of those, resolved by a centre), ``mediation_ended`` (of those,
        no longer at a centre or elsewhere: closed), ``escalations`` (visits that ended climbing
        or referred onwards: one definition), ``police_incidents`` (police call-outs: visits at
        a post), ``petitions``, ``court_filings`` (disputes brought to a court: a case back from
        failed pre-suit mediation is not filed twice), ``court_referred`` (filings a court referred to
        pre-suit mediation), ``court_settled`` (settled there), ``judgments``, ``court_days`` (days
        from filing, or from the return, to judgment, summed over judgments), ``resolved_at`` (by place, neighbour heads as
        ``grid``), ``mean_wait_days`` per tier (queue wait of visits that reached a mediator),
        ``served`` per tier.
    """
    d = visits["dispute_id"].to_numpy(np.int64)
    g = np.zeros(len(d), dtype=np.int64) if group is None else np.asarray(group)[d]
    agency = visits["agency"].cat.codes.to_numpy()
    result = visits["result"].cat.codes.to_numpy()
    from_court = court_referred(visits)
    # a court-referred mediation that did not settle is the court's case, not a mediated case
    mediation = (MEDIATION[agency] & ~(from_court & (result != _RESULT["resolved"]))) if len(agency) \
        else np.zeros(0, dtype=bool)

    def per_group(mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(g[mask], weights=None if weights is None else weights[mask], minlength=n_groups)

    med_disputes = np.unique(d[mediation])
    last = _last_visit(d)
    out: dict = {}
    # a dispute counts once for "mediated", in its group
    gd = np.zeros(0, dtype=np.int64) if group is None else np.asarray(group)
    mg = np.zeros(len(med_disputes), dtype=np.int64) if group is None else gd[med_disputes]
    out["mediated_cases"] = np.bincount(mg, minlength=n_groups)
    resolved_here = result == _RESULT["resolved"]
    by_centre = mediation & resolved_here
    out["mediation_resolved"] = per_group(by_centre)
    ended = np.zeros(len(d), dtype=bool)
    if len(d):
        # closed: the last visit ended (a litigated dispute closes at judgment)
        ended[last] = result[last] != _RESULT["pending"]
    med_mask = np.zeros(len(d), dtype=bool)
    if len(d):
        is_med = np.zeros(int(d.max()) + 1, dtype=bool)
        is_med[med_disputes] = True
        med_mask = ended & is_med[d]
    out["mediation_ended"] = per_group(med_mask)
    out["escalations"] = per_group(np.isin(result, [_RESULT["climbed"], _RESULT["referred"]]))
    out["police_incidents"] = per_group(agency == _AGENCY["police"])
    out["petitions"] = per_group(agency == _AGENCY["petition"])
    at_court = agency == _AGENCY["court"]
    first_court = np.zeros(len(d), dtype=bool)
    if at_court.any():
        rows = np.flatnonzero(at_court)
        first_court[rows[np.unique(d[rows], return_index=True)[1]]] = True
    out["court_filings"] = per_group(first_court)
    out["court_referred"] = per_group(at_court & (result == _RESULT["referred"]) & MEDIATION[
        np.where(visits["to"].cat.codes.to_numpy() >= 0, visits["to"].cat.codes.to_numpy(), 0)])
    out["court_settled"] = per_group(from_court & resolved_here)
    judged = at_court & resolved_here
    out["judgments"] = per_group(judged)
    days = visits["ended_day"].to_numpy(float) - visits["arrived_day"].to_numpy(float)
    out["court_days"] = per_group(judged, np.where(judged, days, 0.0))
    out["resolved_at"] = {}
    for place in RESOLVED_AT:
        codes = [_AGENCY[place]] + ([_AGENCY["neighbour"]] if place == "grid" else [])
        out["resolved_at"][place] = per_group(resolved_here & np.isin(agency, codes))
    started = visits["started_day"].to_numpy(float)
    wait = started - visits["arrived_day"].to_numpy(float)
    out["mean_wait_days"], out["served"] = {}, {}
    for tier in TIERS:
        at = (agency == _AGENCY[tier]) & np.isfinite(started)
        n = per_group(at)
        total = per_group(at, np.where(at, wait, 0.0))
        out["served"][tier] = n
        out["mean_wait_days"][tier] = np.divide(total, n, out=np.zeros(n_groups), where=n > 0)
    if group is None:
        return _scalars(out)
    return out


def court_referred(visits: pd.DataFrame) -> np.ndarray:
    """Which visits are pre-suit mediation a court referred: a centre's visit right after a court's.

    Returns:
        A boolean array over the rows of ``visits``.
    """
    d = visits["dispute_id"].to_numpy(np.int64)
    out = np.zeros(len(d), dtype=bool)
    if len(d) == 0:
        return out
    agency = visits["agency"].cat.codes.to_numpy()
    order = np.lexsort((visits["step"].to_numpy(np.int64), d))
    same = d[order][1:] == d[order][:-1]
    after_court = same & (agency[order][:-1] == _AGENCY["court"]) & MEDIATION[agency[order][1:]]
    out[order[1:][after_court]] = True
    return out


def _last_visit(d: np.ndarray) -> np.ndarray:
    """Row of each dispute's last visit (rows of one dispute are in time order)."""
    if len(d) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(d, kind="stable")
    sd = d[order]
    is_last = np.r_[sd[1:] != sd[:-1], True]
    return order[is_last]


def _scalars(out: dict) -> dict:
    def one(v):
        if isinstance(v, dict):
            return {k: one(x) for k, x in v.items()}
        x = v[0]
        return float(x) if np.issubdtype(np.asarray(v).dtype, np.floating) else int(x)

    return {k: one(v) for k, v in out.items()}


def reached_a_centre(visits: pd.DataFrame, n: int) -> np.ndarray:
    """Per dispute (``0 .. n-1``): did a mediation centre of any tier take it (queue included)?"""
    out = np.zeros(n, dtype=bool)
    if len(visits):
        at = MEDIATION[visits["agency"].cat.codes.to_numpy()]
        out[visits["dispute_id"].to_numpy()[at]] = True
    return out


def paths_and_waits(visits: pd.DataFrame, n: int) -> tuple[list[str], np.ndarray]:
    """Per dispute (``0 .. n-1``): the places visited, ``>``-joined in the order the visits began
    (``disputes.parquet``'s ``path``), and days queued at mediation centres (``wait_days``; a
    withdrawal from the queue waited until it withdrew)."""
    d = visits["dispute_id"].to_numpy(np.int64)
    agency = visits["agency"].cat.codes.to_numpy()
    arrived = visits["arrived_day"].to_numpy(float)
    wait = visits["started_day"].to_numpy(float) - arrived
    at_centre = MEDIATION[agency] if len(agency) else np.zeros(0, dtype=bool)
    queued = np.where(at_centre, np.nan_to_num(wait, nan=0.0), 0.0)
    withdrew = at_centre & np.isnan(wait) & (visits["result"] == "withdrew").to_numpy()
    queued[withdrew] = visits["ended_day"].to_numpy(float)[withdrew] - arrived[withdrew]
    wait_days = np.bincount(d, weights=queued, minlength=n)
    names = np.array(AGENCIES, dtype=object)
    path = [""] * n
    order = np.argsort(d, kind="stable")  # each dispute's visits in the order they began
    for i, a in zip(d[order].tolist(), names[agency[order]].tolist()):
        path[i] = a if not path[i] else path[i] + ">" + a
    return path, wait_days
