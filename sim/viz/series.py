"""The series the dashboard plots and the animation replays, from the daily table's rows.

The same functions read a live model's ``model.daily`` (as a DataFrame) and a saved run's
``daily.parquet``, so the page in the room and the clip in the slides say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config import TIERS

LADDER = ("grid", "village", "township", "police", "banner", "city")
"""Rungs of the escalation ladder as trainers tell it, bottom to top."""
SMOOTH_DAYS = 7


@dataclass
class DailySeries:
    """One value per simulated day (index = day).

    Attributes:
        queue: cases waiting for a mediator, per mediation tier (village .. city), end of day.
        in_service: cases in a mediation session, per mediation tier, end of day.
        escalations: failed mediations sent up a tier or to the police that day.
        police: police incidents (call-outs) that day.
        satisfaction: parties' mean satisfaction (0-1) over disputes closed in the last
            ``SMOOTH_DAYS`` days (NaN before any closes).
        live: disputes sitting at each rung at the end of the day (``grid``: undetected).
    """

    day: np.ndarray
    queue: dict[str, np.ndarray]
    in_service: dict[str, np.ndarray]
    escalations: np.ndarray
    police: np.ndarray
    satisfaction: np.ndarray
    live: dict[str, np.ndarray]

    @property
    def days(self) -> int:
        """Days the series holds."""
        return len(self.day)


def daily_series(daily: pd.DataFrame, closed_day: np.ndarray, satisfaction: np.ndarray) -> DailySeries:
    """Series from the daily rows and the closed disputes' closing days and satisfaction.

    Args:
        daily: the daily table (columns ``day, tier, queue_length, escalated, arrivals, live``).
        closed_day: closing day of each closed dispute (NaN ones are ignored).
        satisfaction: its parties' satisfaction.
    """
    if len(daily) == 0:
        z = np.zeros(0)
        return DailySeries(z.astype(np.int64), {t: z for t in TIERS}, {t: z for t in TIERS}, z, z, z,
                           {r: z for r in LADDER})
    n = int(daily["day"].max()) + 1
    days = np.arange(n)

    def by_tier(column: str) -> pd.DataFrame:
        wide = daily.pivot_table(index="day", columns="tier", values=column, aggfunc="sum")
        return wide.reindex(index=days, fill_value=0).fillna(0)

    queue = by_tier("queue_length")
    in_service = by_tier("in_service")
    escalated = by_tier("escalated")
    arrivals = by_tier("arrivals")
    live = by_tier("live")

    def col(frame: pd.DataFrame, tier: str) -> np.ndarray:
        return frame[tier].to_numpy(float) if tier in frame else np.zeros(n)

    live_rungs = {r: col(live, r) for r in LADDER}
    live_rungs["grid"] = col(queue, "system")  # the system row's queue: undetected disputes
    return DailySeries(
        day=days,
        queue={t: col(queue, t) for t in TIERS},
        in_service={t: col(in_service, t) for t in TIERS},
        escalations=sum((col(escalated, t) for t in TIERS), np.zeros(n)),
        police=col(arrivals, "police"),
        satisfaction=smoothed_satisfaction(closed_day, satisfaction, n),
        live=live_rungs,
    )


def smoothed_satisfaction(closed_day: np.ndarray, satisfaction: np.ndarray, days: int,
                          window: int = SMOOTH_DAYS) -> np.ndarray:
    """Mean satisfaction of the disputes closed in the ``window`` days up to each day."""
    closed_day = np.asarray(closed_day, dtype=float)
    satisfaction = np.asarray(satisfaction, dtype=float)
    ok = np.isfinite(closed_day) & np.isfinite(satisfaction) & (closed_day < days)
    day = np.floor(closed_day[ok]).astype(np.int64)
    total = np.bincount(day, weights=satisfaction[ok], minlength=days)[:days]
    count = np.bincount(day, minlength=days)[:days].astype(float)
    kernel = np.ones(window)
    total_w = np.convolve(total, kernel)[:days]
    count_w = np.convolve(count, kernel)[:days]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count_w > 0, total_w / np.maximum(count_w, 1), np.nan)


def ladder(series: DailySeries, day: int, resolved_tier: np.ndarray,
           closed_day: np.ndarray) -> tuple[dict[str, int], dict[str, int]]:
    """The escalation ladder on ``day``: disputes sitting at each rung, and settled there so far.

    Args:
        series: the run's daily series (gives who sits where at the end of ``day``).
        day: the day (0-based); values are as at its end.
        resolved_tier: where each closed dispute was settled (``""`` if it was not resolved).
        closed_day: when each closed.
    """
    now = {r: int(series.live[r][day]) if 0 <= day < series.days else 0 for r in LADDER}
    resolved_tier = np.asarray(resolved_tier, dtype=object)
    closed = np.asarray(closed_day, dtype=float) < day + 1
    settled = {r: int(((resolved_tier == r) & closed).sum()) for r in LADDER}
    return now, settled


class SeriesRows:
    """:func:`daily_series` kept up to date day by day from a live model's daily rows.

    Pivoting the whole daily table each day cost ~30 ms by day 60; this adds each new day's
    rows to fixed columns instead and gives the same series.
    """

    _COLUMNS = ([("queue_length", t) for t in TIERS] + [("in_service", t) for t in TIERS]
                + [("escalated", t) for t in TIERS] + [("arrivals", "police"), ("queue_length", "system")]
                + [("live", r) for r in LADDER])

    def __init__(self) -> None:
        self._index = {c: k for k, c in enumerate(self._COLUMNS)}
        self._by_tier: dict[str, list[tuple[str, int]]] = {}
        for (column, tier), k in self._index.items():
            self._by_tier.setdefault(tier, []).append((column, k))
        self._table = np.zeros((64, len(self._COLUMNS)))
        self.days = 0
        self.seen = 0
        """How many of the model's daily rows have been read."""

    def extend(self, daily: list[dict]) -> None:
        """Read the rows of ``daily`` (the model's whole daily list) not read yet."""
        for row in daily[self.seen:]:
            day = int(row["day"])
            while day >= len(self._table):
                self._table = np.vstack([self._table, np.zeros_like(self._table)])
            self.days = max(self.days, day + 1)
            for column, k in self._by_tier.get(row["tier"], ()):
                self._table[day, k] += row.get(column, 0)
        self.seen = len(daily)

    def series(self, closed_day: np.ndarray, satisfaction: np.ndarray) -> DailySeries:
        """The series so far (arguments as for :func:`daily_series`)."""
        n = self.days
        if n == 0:
            return daily_series(pd.DataFrame(), closed_day, satisfaction)
        t = self._table[:n].copy()

        def col(column: str, tier: str) -> np.ndarray:
            return t[:, self._index[(column, tier)]]

        live = {r: col("live", r) for r in LADDER}
        live["grid"] = col("queue_length", "system")
        return DailySeries(
            day=np.arange(n),
            queue={tr: col("queue_length", tr) for tr in TIERS},
            in_service={tr: col("in_service", tr) for tr in TIERS},
            escalations=sum((col("escalated", tr) for tr in TIERS), np.zeros(n)),
            police=col("arrivals", "police"),
            satisfaction=smoothed_satisfaction(closed_day, satisfaction, n),
            live=live,
        )
