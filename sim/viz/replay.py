"""Where each dispute sat, day by day, rebuilt from a saved run folder (for the animation).

A run folder records each dispute's creation, detection and closing days and its path
(``grid>village>township``), not the moment it moved between tiers: the time between detection
and closing is split evenly over the tiers it visited. Who sits where at the end of each day
(the ladder) is exact: it is the daily table's ``live`` column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.results import Result
from sim.viz.hierarchy import ROWS, Dots, TreeLayout, place, tree_layout
from sim.viz.live import SETTLED_SHOWN_DAYS
from sim.viz.series import DailySeries, daily_series, ladder


@dataclass
class Replay:
    """A saved run ready to draw: the tree, the series and each dispute's stays on the tree.

    Attributes:
        stays: one row per stay: ``id, row, start, end, grid, village, township, banner,
            intensity, settled`` (``settled``: the green ring shown after a dispute closes).
    """

    title: str
    days: int
    layout: TreeLayout
    township_names: list[str]
    series: DailySeries
    stays: pd.DataFrame
    resolved_tier: np.ndarray
    closed_day: np.ndarray

    def dots(self, day: float) -> Dots:
        """The disputes on the tree at the end of ``day``."""
        t = day + 1.0
        s = self.stays
        at = s[(s["start"] < t) & (s["end"] >= t)] if len(s) else s
        return place(self.layout, at["row"].to_numpy(object), at["id"].to_numpy(), at["grid"].to_numpy(),
                     at["village"].to_numpy(), at["township"].to_numpy(), at["banner"].to_numpy(),
                     at["intensity"].to_numpy(), at["settled"].to_numpy())

    def ladder(self, day: int) -> tuple[dict[str, int], dict[str, int]]:
        """The ladder on ``day`` of the replayed run: disputes sitting at each rung, settled there so far."""
        return ladder(self.series, day, self.resolved_tier, self.closed_day)


def replay(result: Result) -> Replay:
    """Build the :class:`Replay` of a run read with :func:`sim.results.read_run`."""
    d = result.disputes
    days = int(result.summary.get("days") or (result.daily["day"].max() + 1))
    # the tree, from the places the disputes name (townships and banners by first village id)
    village = d["village"].to_numpy(np.int64)
    t_first = d.groupby("township", observed=True)["village"].min().sort_values()
    t_code = {name: i for i, name in enumerate(t_first.index)}
    township = d["township"].map(t_code).to_numpy(np.int64)
    b_first = pd.Series(township).groupby(d["banner"].to_numpy()).min().sort_values()
    b_code = {name: i for i, name in enumerate(b_first.index)}
    banner = d["banner"].map(b_code).to_numpy(np.int64)
    n_v = int(village.max(initial=-1)) + 1
    village_township = np.zeros(n_v, dtype=np.int64)
    village_township[village] = township
    township_banner = np.zeros(len(t_code), dtype=np.int64)
    township_banner[township] = banner
    grid = d["grid"].to_numpy(np.int64)
    grid_village = np.zeros(int(grid.max(initial=-1)) + 1, dtype=np.int64)
    grid_village[grid] = village
    layout = tree_layout(grid_village, village_township, township_banner)
    # villages and grids that had no dispute are not drawn
    layout.village_x[np.setdiff1d(np.arange(n_v), village)] = np.nan
    layout.grid_x[np.setdiff1d(np.arange(len(grid_village)), grid)] = np.nan
    banner_names = list(b_code)
    names = [_short(n, banner_names[township_banner[i]]) for i, n in enumerate(t_code)]
    stays = _stays(d, township, banner, days)
    s = result.summary
    title = f"{s.get('city', '')} · governance {s.get('governance', '')} · seed {s.get('seed', '')}"
    return Replay(title, days, layout, names,
                  daily_series(result.daily, d["closed_day"].to_numpy(float), d["satisfaction"].to_numpy(float)),
                  stays, d["resolved_tier"].to_numpy(object), d["closed_day"].to_numpy(float))


def _stays(d: pd.DataFrame, township: np.ndarray, banner: np.ndarray, days: int) -> pd.DataFrame:
    rows: list[tuple] = []
    created = d["created_day"].to_numpy(float)
    detected = d["detected_day"].to_numpy(float)
    closed = d["closed_day"].to_numpy(float)
    outcome = d["outcome"].to_numpy(object)
    resolved = d["resolved_tier"].to_numpy(object)
    for i, path in enumerate(d["path"].to_numpy(object)):
        end = closed[i] if np.isfinite(closed[i]) else float(days)
        if not np.isfinite(detected[i]):
            rows.append((i, "grid", created[i], end, False))
            continue
        rows.append((i, "grid", created[i], detected[i], False))  # latent in its grid
        steps = [p for p in (path.split(">") if path else []) if p in ROWS]
        if steps[:1] == ["grid"] and len(steps) > 1:
            steps = steps[1:]  # not settled on the spot: handed up at once
        steps = steps or ["grid"]
        edges = np.linspace(detected[i], end, len(steps) + 1)
        for k, row in enumerate(steps):
            rows.append((i, row, edges[k], edges[k + 1], False))
        if outcome[i] == "resolved" and resolved[i] in ROWS:
            rows.append((i, resolved[i], end, end + SETTLED_SHOWN_DAYS, True))
    frame = pd.DataFrame(rows, columns=["i", "row", "start", "end", "settled"])
    idx = frame["i"].to_numpy()
    return frame.assign(
        id=d["dispute_id"].to_numpy(np.int64)[idx], grid=d["grid"].to_numpy(np.int64)[idx],
        village=d["village"].to_numpy(np.int64)[idx], township=township[idx], banner=banner[idx],
        intensity=d["peak_intensity"].to_numpy(float)[idx],
    ).drop(columns="i")


def _short(township: str, banner: str) -> str:
    return township[len(banner):].strip() if township.startswith(banner) else township
