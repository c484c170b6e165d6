"""matplotlib drawings shared by the dashboard and the slide animation.

Each function draws on an ``Axes`` it is given, so the page (``sim/viz/board.py``) and the
animation build their figures once and then move the artists these made. Colours: a
dispute's intensity on ``INTENSITY_CMAP`` (pale: a small quarrel; dark red: about to boil over).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize

from sim.config import TIERS
from sim.viz.hierarchy import ROW_Y, ROWS, Dots, TreeLayout
from sim.viz.series import LADDER, DailySeries

INTENSITY_CMAP = "YlOrRd"
INTENSITY_NORM = Normalize(vmin=0.0, vmax=2.0)
TIER_COLOURS = {"village": "#1b9e77", "township": "#d95f02", "banner": "#7570b3", "city": "#e7298a"}
ROW_LABELS = {"grid": "grid", "village": "village", "township": "township", "police": "police post",
              "banner": "banner", "city": "city"}
SETTLED = "#1a9850"
POLICE = "#2c7fb8"


def draw_tree(ax: Axes, layout: TreeLayout, dots: Dots, township_names: list[str] | None = None,
              dot_size: float = 60.0, font_size: float | None = None):
    """The hierarchy with its disputes: undetected ones in the grid row, live ones at their rung,
    just-settled ones ringed in green. Returns the dots' scatter artist (for a colour bar)."""
    ax.add_collection(LineCollection(layout.edges(), colors="#bbbbbb", linewidths=1.0, zorder=1))
    vx = layout.village_x[np.isfinite(layout.village_x)]
    tx = layout.township_x[np.isfinite(layout.township_x)]
    bx = layout.banner_x[np.isfinite(layout.banner_x)]
    gx = layout.grid_x[np.isfinite(layout.grid_x)]
    ax.scatter(gx, np.full(len(gx), ROW_Y["grid"]), marker="|", s=80, c="#999999", zorder=2)
    ax.scatter(vx, np.full(len(vx), ROW_Y["village"]), marker="s", s=40, c="#dddddd", edgecolors="#777777", zorder=2)
    ax.scatter(tx, np.full(len(tx), ROW_Y["township"]), marker="s", s=110, c="#dddddd", edgecolors="#555555", zorder=2)
    ax.scatter(tx, np.full(len(tx), ROW_Y["police"]), marker="^", s=90, c="#deebf7", edgecolors=POLICE, zorder=2)
    ax.scatter(bx, np.full(len(bx), ROW_Y["banner"]), marker="s", s=220, c="#dddddd", edgecolors="#333333", zorder=2)
    ax.scatter([layout.city_x], [ROW_Y["city"]], marker="*", s=400, c="#dddddd", edgecolors="#333333", zorder=2)
    if township_names:
        for x, name in zip(layout.township_x, township_names):
            if np.isfinite(x):
                ax.annotate(name, (x, ROW_Y["township"]), xytext=(0, -14), textcoords="offset points",
                            ha="center", va="top", fontsize=(font_size or 10) * 0.75, color="#555555")
    live = ~dots.settled
    art = ax.scatter(dots.x[live], dots.y[live], c=dots.intensity[live], cmap=INTENSITY_CMAP, norm=INTENSITY_NORM,
                     s=dot_size, edgecolors="#444444", linewidths=0.6, zorder=4)
    ax.scatter(dots.x[~live], dots.y[~live], s=dot_size * 1.2, facecolors="none", edgecolors=SETTLED,
               linewidths=2.0, zorder=3)
    ax.set_yticks([ROW_Y[r] for r in ROWS], [ROW_LABELS[r] for r in ROWS])
    ax.set_ylim(-0.6, ROW_Y["city"] + 0.6)
    ax.set_xlim(-0.8, layout.width - 0.2)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    return art


def draw_queues(ax: Axes, s: DailySeries, day: int | None = None, xmax: int | None = None) -> None:
    """Cases at each mediation tier, day by day (up to ``day``): waiting for a mediator (solid)
    and in a session with one (dashed)."""
    end = s.days if day is None else min(day + 1, s.days)
    for tier in TIERS:
        ax.plot(s.day[:end], s.queue[tier][:end], color=TIER_COLOURS[tier], lw=2.5, label=tier)
        ax.plot(s.day[:end], s.in_service[tier][:end], color=TIER_COLOURS[tier], lw=1.5, ls="--")
    _time_axis(ax, xmax or max(end, 30))
    ax.set_ylabel("cases")
    ax.set_title("Cases at the mediation centres")
    ax.plot([], [], color="#333333", lw=2.5, label="waiting")
    ax.plot([], [], color="#333333", lw=1.5, ls="--", label="in mediation")
    ax.legend(loc="upper left", ncols=3, frameon=False, handlelength=1.5, columnspacing=0.8)
    top = max((max(s.queue[t][:end].max(initial=0), s.in_service[t][:end].max(initial=0)) for t in TIERS),
              default=0)
    ax.set_ylim(0, max(top * 1.3, 3))


def draw_counts(ax: Axes, days: np.ndarray, values: np.ndarray, title: str, colour: str,
                ylabel: str, xmax: int | None = None):
    """A per-day count as bars, with its 7-day mean as a line. Returns both artists (bars, line)."""
    edges = np.r_[days, days[-1] + 1] - 0.5 if len(days) else np.array([-0.5])
    bars = ax.stairs(values, edges, fill=True, color=colour, alpha=0.35)
    (line,) = ax.plot(days, week_mean(values), color=colour, lw=2.5, label="7-day mean")
    _time_axis(ax, xmax or max(len(days), 30))
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, max(values.max(initial=0) * 1.15, 2))
    return bars, line


def week_mean(values: np.ndarray) -> np.ndarray:
    """The mean of each day and the six before it (fewer at the start)."""
    values = np.asarray(values, dtype=float)
    return np.convolve(values, np.ones(7) / 7)[: len(values)] if len(values) else values


def draw_satisfaction(ax: Axes, s: DailySeries, xmax: int | None = None) -> None:
    """The parties' satisfaction with the disputes closed in the last 7 days, day by day."""
    ax.plot(s.day, s.satisfaction, color=SETTLED, lw=2.5)
    _time_axis(ax, xmax or max(s.days, 30))
    ax.set_ylim(0, 1.02)
    ax.set_title("Parties' satisfaction (closed in last 7 days)")
    ax.set_ylabel("mean, 0-1")


def draw_ladder(ax: Axes, now: dict[str, int], settled: dict[str, int], number_size: float | None = None) -> None:
    """The escalation ladder: disputes sitting at each rung now, and settled there so far."""
    y = np.arange(len(LADDER))
    h = 0.38
    a = [now[r] for r in LADDER]
    b = [settled[r] for r in LADDER]
    ax.barh(y + h / 2, a, height=h, color="#fc8d59", label="there now")
    ax.barh(y - h / 2, b, height=h, color=SETTLED, label="settled there")
    top = max(max(a, default=0), max(b, default=0), 1)
    for yi, va, vb in zip(y, a, b):
        ax.text(va + top * 0.01, yi + h / 2, str(va), va="center", fontsize=number_size)
        ax.text(vb + top * 0.01, yi - h / 2, str(vb), va="center", fontsize=number_size)
    labels = [ROW_LABELS[r] if r != "grid" else "grid\n(undetected)" for r in LADDER]
    ax.set_yticks(y, labels)
    ax.set_xlim(0, top * 1.25)
    ax.set_title("Escalation ladder")
    ax.legend(loc="upper right", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _time_axis(ax: Axes, xmax: int) -> None:
    ax.set_xlim(0, xmax)
    ax.set_xlabel("day")
    ax.grid(alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
