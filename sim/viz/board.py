"""The dashboard's three pictures, kept between days and redrawn cheaply.

Building matplotlib figures afresh each day cost about 0.3 s of CPU (axes, ticks and text
re-created, then rendered in full). Here each picture is built once: its static part (the tree's
units and links, axes, ticks, legends) is rendered once and kept as a bitmap, and each day only
the moving artists (dots, lines, bars, numbers) are updated in place and drawn over it
(matplotlib's blitting). Axis limits grow in coarse steps (30-day pages; round ceilings), so
the static part is rendered again only when they change. No Solara here: benchmarked on its own
(``experiments/bench/dashboard.py``).
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from sim.config import TIERS
from sim.viz.figures import (
    POLICE,
    draw_counts,
    draw_ladder,
    draw_queues,
    draw_satisfaction,
    draw_tree,
    week_mean,
)
from sim.viz.hierarchy import Dots, TreeLayout
from sim.viz.series import LADDER, DailySeries, daily_series

if TYPE_CHECKING:
    from sim.viz.live import LiveCounty

DPI = 80
FONT = 11
PAGE_DAYS = 30
"""The plots' day axis grows a page at a time (0-30, 0-60, ...), not every day."""
PNG_LEVEL = 1
"""zlib level for the page's PNGs: level 1 is ~30% faster than 6 and barely bigger for plots."""


NICE = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest of :data:`NICE` x 10^k at or above ``value`` (``value`` > 0), for axis limits
    that change rarely as a series grows but leave little empty space."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    k = math.floor(math.log10(value))
    for m in NICE:
        if m * 10**k >= value * (1 - 1e-12):
            return m * 10**k
    return 10.0 ** (k + 1)  # pragma: no cover - the loop always returns


def page_days(days: int) -> int:
    """The day axis' extent for ``days`` days: whole pages of :data:`PAGE_DAYS`."""
    return PAGE_DAYS * max(1, math.ceil(days / PAGE_DAYS))


class Blitted:
    """A figure whose static part is rendered once and whose ``moving`` artists are drawn over it.

    The static part is rendered again when any axes' limits change (their ticks move).
    """

    def __init__(self, fig: Figure, moving: Sequence[Artist]) -> None:
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.moving = list(moving)
        for a in self.moving:
            a.set_animated(True)  # left out of the static render
        self._key: tuple | None = None
        self._background = None
        self.static_renders = 0

    def _limits(self) -> tuple:
        return tuple(ax.get_xlim() + ax.get_ylim() for ax in self.fig.axes)

    def png(self) -> bytes:
        """The picture now, as PNG bytes."""
        key = self._limits()
        if key != self._key:
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._key = key
            self.static_renders += 1
        else:
            self.canvas.restore_region(self._background)
        for a in self.moving:
            if a.get_visible():
                self.fig.draw_artist(a)
        rgba = np.asarray(self.canvas.buffer_rgba())
        out = io.BytesIO()
        Image.fromarray(rgba[..., :3]).save(out, format="png", compress_level=PNG_LEVEL)
        return out.getvalue()


class TreePicture:
    """The hierarchy with its disputes (dots coloured by intensity, green rings: just settled)."""

    def __init__(self, layout: TreeLayout, township_names: list[str]) -> None:
        fig = Figure(figsize=(9.5, 4.6), dpi=DPI, facecolor="white")
        ax = fig.add_axes((0.11, 0.03, 0.78, 0.88))
        cax = fig.add_axes((0.91, 0.1, 0.015, 0.75))
        self.dots = draw_tree(ax, layout, Dots.empty(), township_names, dot_size=70, font_size=FONT)
        self.rings = ax.collections[-1]
        fig.colorbar(self.dots, cax=cax, label="dispute intensity")
        ax.set_title("The county's hierarchy: disputes climbing it", fontsize=FONT + 2, loc="left")
        self.day = ax.text(1.0, 1.02, "", transform=ax.transAxes, ha="right", va="bottom",
                           fontsize=FONT + 2, fontweight="bold")
        ax.tick_params(labelsize=FONT)
        self.blit = Blitted(fig, [self.rings, self.dots, self.day])

    def update(self, dots: Dots, day: int) -> None:
        """Move the dots to the disputes of ``day`` (settled ones as rings) and label the day."""
        live = ~dots.settled
        self.dots.set_offsets(np.column_stack([dots.x[live], dots.y[live]]))
        self.dots.set_array(dots.intensity[live])
        self.rings.set_offsets(np.column_stack([dots.x[~live], dots.y[~live]]))
        self.day.set_text(f"day {day}")


class PlotsPicture:
    """Queues per tier, escalations, police incidents and satisfaction, day by day."""

    def __init__(self) -> None:
        fig = Figure(figsize=(14.5, 5.6), dpi=DPI, facecolor="white")
        axes = fig.subplots(2, 2, gridspec_kw={"left": 0.06, "right": 0.99, "top": 0.94, "bottom": 0.09,
                                               "hspace": 0.55, "wspace": 0.15})
        empty = np.zeros(0)
        self.queues_ax, self.esc_ax = axes[0]
        self.police_ax, self.sat_ax = axes[1]
        nothing = daily_series(pd.DataFrame(), empty, empty)
        draw_queues(self.queues_ax, nothing, xmax=PAGE_DAYS)
        self.queue_lines = {t: tuple(self.queues_ax.get_lines()[2 * k: 2 * k + 2]) for k, t in enumerate(TIERS)}
        self.esc = draw_counts(self.esc_ax, empty.astype(np.int64), empty,
                               "Escalations (failed mediation sent up)", "#d95f02", "per day", xmax=PAGE_DAYS)
        self.police = draw_counts(self.police_ax, empty.astype(np.int64), empty, "Police incidents", POLICE,
                                  "per day", xmax=PAGE_DAYS)
        draw_satisfaction(self.sat_ax, nothing, xmax=PAGE_DAYS)
        self.sat = self.sat_ax.get_lines()[0]
        moving: list[Artist] = [a for pair in self.queue_lines.values() for a in pair]
        moving += [*self.esc, *self.police, self.sat]
        self.blit = Blitted(fig, moving)

    def update(self, s: DailySeries) -> None:
        """Redraw the day-by-day lines from the series, rescaling the axes to the data."""
        xmax = page_days(s.days)
        for ax in (self.queues_ax, self.esc_ax, self.police_ax, self.sat_ax):
            ax.set_xlim(0, xmax)
        top = 0.0
        for t, (waiting, serving) in self.queue_lines.items():
            waiting.set_data(s.day, s.queue[t])
            serving.set_data(s.day, s.in_service[t])
            top = max(top, s.queue[t].max(initial=0), s.in_service[t].max(initial=0))
        self.queues_ax.set_ylim(0, nice_ceiling(max(top * 1.3, 3)))
        for ax, (bars, week), values in ((self.esc_ax, self.esc, s.escalations),
                                         (self.police_ax, self.police, s.police)):
            bars.set_data(values, np.r_[s.day, s.days] - 0.5)
            week.set_data(s.day, week_mean(values))
            ax.set_ylim(0, nice_ceiling(max(values.max(initial=0) * 1.15, 2)))
        self.sat.set_data(s.day, s.satisfaction)


class LadderPicture:
    """The escalation ladder: disputes at each rung now, and settled there so far."""

    def __init__(self) -> None:
        fig = Figure(figsize=(5.2, 4.6), dpi=DPI, facecolor="white")
        self.ax = fig.add_axes((0.27, 0.08, 0.70, 0.84))
        zero = dict.fromkeys(LADDER, 0)
        draw_ladder(self.ax, zero, zero)
        self.now_bars, self.settled_bars = self.ax.containers[:2]
        self.numbers = list(self.ax.texts)  # now, settled, now, settled, ... bottom to top
        self.blit = Blitted(fig, [*self.now_bars, *self.settled_bars, *self.numbers])

    def update(self, now: dict[str, int], settled: dict[str, int]) -> None:
        """Set the ladder's bars and numbers: disputes sitting at each rung now, settled there so far."""
        a = [now[r] for r in LADDER]
        b = [settled[r] for r in LADDER]
        top = nice_ceiling(max(max(a), max(b), 1) * 1.25)
        self.ax.set_xlim(0, top)
        for k, (va, vb) in enumerate(zip(a, b)):
            self.now_bars[k].set_width(va)
            self.settled_bars[k].set_width(vb)
            for text, v in ((self.numbers[2 * k], va), (self.numbers[2 * k + 1], vb)):
                text.set_text(str(v))
                text.set_x(v + top * 0.008)


class Board:
    """The page's three pictures for one county, redrawn in place each day (thread-safe)."""

    def __init__(self, layout: TreeLayout, township_names: list[str]) -> None:
        self.tree = TreePicture(layout, township_names)
        self.plots = PlotsPicture()
        self.ladder = LadderPicture()
        self._lock = threading.Lock()

    @classmethod
    def of(cls, county: LiveCounty) -> Board:
        """The pictures for ``county``'s tree."""
        return cls(county.layout, county.township_names)

    def render(self, dots: Dots, day: int, series: DailySeries, now: dict[str, int],
               settled: dict[str, int]) -> tuple[bytes, bytes, bytes]:
        """PNGs of the tree, the plots and the ladder for the county as given."""
        with self._lock:
            self.tree.update(dots, day)
            self.plots.update(series)
            self.ladder.update(now, settled)
            return self.tree.blit.png(), self.plots.blit.png(), self.ladder.blit.png()


def county_pictures(board: Board, county: LiveCounty) -> tuple[bytes, bytes, bytes]:
    """What the page shows of ``county`` today: PNGs of its tree, plots and ladder."""
    with county.lock:
        s = county.series()
        now, settled = county.ladder(s)
        dots, day = county.dots(), county.day
    return board.render(dots, day, s, now, settled)
