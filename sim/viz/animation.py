"""A saved run as an animation for slides: the tree with disputes climbing it, the queues,
the escalation ladder, a title and a day counter, in fonts that read on a projector."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.figure import Figure

from sim.config import TIERS
from sim.viz.figures import (
    INTENSITY_CMAP,
    INTENSITY_NORM,
    draw_ladder,
    draw_queues,
    draw_tree,
)
from sim.viz.replay import Replay

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

FONT = 15
MAX_FRAMES = 150
"""Default frame budget: longer runs skip days (``every``) so a demo year stays under 5 MB."""


def frame_days(days: int, every: int | None = None) -> np.ndarray:
    """The days shown, one per frame (every ``every`` days; default: at most MAX_FRAMES frames)."""
    step = every if every is not None else max(1, math.ceil(days / MAX_FRAMES))
    if step < 1:
        raise ValueError(f"every: must be >= 1, got {step}")
    shown = np.arange(0, days, step)
    return shown if shown[-1] == days - 1 else np.r_[shown, days - 1]


def animate(rep: Replay, out: str | Path, fps: int = 6, every: int | None = None, dpi: int = 80) -> Path:
    """Write ``out`` (a .gif) from the replay of a run; return its path."""
    out = Path(out)
    days = frame_days(rep.days, every)
    rc: dict[RcKeyType, Any] = {"font.size": FONT, "axes.titlesize": FONT + 3, "axes.labelsize": FONT,
                                "xtick.labelsize": FONT - 2, "ytick.labelsize": FONT,
                                "legend.fontsize": FONT - 2}
    import matplotlib

    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(40 / 3, 7.5), dpi=dpi, facecolor="white")  # 16:9
        fig.text(0.02, 0.975, "Disputes climbing the ladder", ha="left", va="top", fontsize=FONT + 9,
                 fontweight="bold")
        fig.text(0.02, 0.905, rep.title, ha="left", va="top", fontsize=FONT, color="#444444")
        counter = fig.text(0.98, 0.975, "", ha="right", va="top", fontsize=FONT + 9, fontweight="bold")
        fig.text(0.02, 0.015, "Dots: disputes, coloured by peak intensity (pale: mild, dark red: tense); "
                 "green rings: just settled there. Moves between tiers interpolated from the saved run.",
                 fontsize=FONT - 3, color="#444444")
        tree = fig.add_axes((0.11, 0.08, 0.48, 0.76))
        cax = fig.add_axes((0.595, 0.2, 0.008, 0.55))
        queues = fig.add_axes((0.71, 0.57, 0.27, 0.27))
        ladder_ax = fig.add_axes((0.78, 0.08, 0.20, 0.37))
        draw_tree(tree, rep.layout, rep.dots(-1), rep.township_names, dot_size=90, font_size=FONT)
        tree.set_title("The hierarchy, grid to city", pad=2)
        dots = tree.collections[-2]  # live dots (the last one is the settled rings)
        rings = tree.collections[-1]
        from matplotlib import cm

        bar = fig.colorbar(cm.ScalarMappable(norm=INTENSITY_NORM, cmap=INTENSITY_CMAP), cax=cax)
        bar.set_label("intensity", fontsize=FONT - 3)
        cax.tick_params(labelsize=FONT - 4)
        draw_queues(queues, rep.series, day=rep.days - 1, xmax=rep.days)
        drawn = queues.get_lines()
        lines = {t: (drawn[2 * k], drawn[2 * k + 1]) for k, t in enumerate(TIERS)}
        queues.set_title("Cases at the centres", fontsize=FONT)
        queues.legend(loc="upper left", ncols=3, frameon=False, fontsize=FONT - 5, handlelength=1.2,
                      columnspacing=0.6)

        def update(day: int):
            d = rep.dots(day)
            live = ~d.settled
            dots.set_offsets(np.column_stack([d.x[live], d.y[live]]) if live.any() else np.zeros((0, 2)))
            dots.set_array(d.intensity[live])
            rings.set_offsets(np.column_stack([d.x[~live], d.y[~live]]) if (~live).any() else np.zeros((0, 2)))
            for t, (waiting, serving) in lines.items():
                waiting.set_data(rep.series.day[: day + 1], rep.series.queue[t][: day + 1])
                serving.set_data(rep.series.day[: day + 1], rep.series.in_service[t][: day + 1])
            ladder_ax.clear()
            now, settled = rep.ladder(day)
            draw_ladder(ladder_ax, now, settled, number_size=FONT - 3)
            ladder_ax.set_title("Escalation ladder", fontsize=FONT)
            ladder_ax.legend(loc="upper right", frameon=False, fontsize=FONT - 4)
            ladder_ax.tick_params(labelsize=FONT - 3)
            date = (dt.date(2022, 1, 1) + dt.timedelta(days=int(day))).strftime("%-d %b")
            counter.set_text(f"Day {day + 1} ({date})")
            return []

        anim = FuncAnimation(fig, update, frames=days, blit=False)
        out.parent.mkdir(parents=True, exist_ok=True)
        anim.save(out, writer=PillowWriter(fps=fps))
    return out
