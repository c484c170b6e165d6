"""Dashboard benchmark: CPU per day to simulate the demo county and to redraw the page's pictures.

Runs the dashboard's county (``sim/viz/live.py``, its training default)
without a browser or Solara, and times each day's model step and each day's redraw (the three
PNGs the page sends plus the headline totals) in CPU seconds of this process::

    python -m experiments.bench.dashboard                  # 60 days, the page's pictures (sim/viz/board.py)
    python -m experiments.bench.dashboard --fresh          # new figures each day (the page before it kept them)
    python -m experiments.bench.dashboard --profile 20     # and cProfile the last 20 redraws

The redraw is what a Step costs the server beyond the model; the browser adds the websocket
round trip and decoding (tests/browser/test_dashboard.py prints the Step round trips).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time

os.environ.setdefault("MPLBACKEND", "Agg")


def fresh_pictures(county) -> list[bytes]:
    """The page's pictures drawn the way it did before ``sim/viz/board.py``: new figures each day,
    each saved with ``savefig`` (as ``solara.FigureMatplotlib`` does)."""
    from matplotlib.figure import Figure

    from sim.viz.figures import (
        POLICE,
        draw_counts,
        draw_ladder,
        draw_queues,
        draw_satisfaction,
        draw_tree,
    )

    s = county.series()
    tree = Figure(figsize=(9.5, 4.6), dpi=80)
    ax = tree.add_axes((0.11, 0.03, 0.78, 0.88))
    art = draw_tree(ax, county.layout, county.dots(), county.township_names, dot_size=70, font_size=11)
    tree.colorbar(art, cax=tree.add_axes((0.91, 0.1, 0.015, 0.75)), label="dispute intensity")
    ax.set_title(f"The county's hierarchy: disputes climbing it (day {county.day})", fontsize=13)
    plots = Figure(figsize=(14.5, 5.6), dpi=80)
    axes = plots.subplots(2, 2, gridspec_kw={"left": 0.06, "right": 0.99, "top": 0.94, "bottom": 0.09,
                                             "hspace": 0.55, "wspace": 0.15})
    xmax = max(s.days, 30)
    draw_queues(axes[0, 0], s, xmax=xmax)
    draw_counts(axes[0, 1], s.day, s.escalations, "Escalations", "#d95f02", "per day", xmax=xmax)
    draw_counts(axes[1, 0], s.day, s.police, "Police incidents", POLICE, "per day", xmax=xmax)
    draw_satisfaction(axes[1, 1], s, xmax=xmax)
    ladder = Figure(figsize=(5.2, 4.6), dpi=80)
    draw_ladder(ladder.add_axes((0.27, 0.08, 0.70, 0.84)), *county.ladder(s))
    out = []
    for fig in (tree, plots, ladder):
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        out.append(buf.getvalue())
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--fresh", action="store_true", help="new figures each day (the page before)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile the last N redraws")
    args = parser.parse_args(argv)

    from sim.viz.board import Board, county_pictures
    from sim.viz.live import LiveCounty

    county = LiveCounty()
    board = Board.of(county)

    def redraw() -> int:
        pictures = fresh_pictures(county) if args.fresh else county_pictures(board, county)
        county.totals()  # the headline the page prints beside the day counter
        return sum(map(len, pictures))

    redraw()  # day 0, as the page opens
    steps, draws, sizes = [], [], []
    profiler = cProfile.Profile()
    for day in range(args.days):
        t = time.process_time()
        county.step(1)
        steps.append(time.process_time() - t)
        profiling = day >= args.days - args.profile
        if profiling:
            profiler.enable()
        t = time.process_time()
        sizes.append(redraw())
        draws.append(time.process_time() - t)
        if profiling:
            profiler.disable()
    totals = county.totals()
    mode = "fresh figures each day" if args.fresh else "kept figures, blitted (sim/viz/board.py)"
    print(f"the dashboard's default county (scenarios/experiment/training.yaml), {args.days} days, {mode}")
    print(f"  disputes {totals['created']}, police incidents {totals['police']}, resolved {totals['resolved']}")
    print(f"  model step  CPU per day: mean {1e3 * statistics.mean(steps):6.1f} ms, max {1e3 * max(steps):6.1f} ms")
    print(f"  page redraw CPU per day: mean {1e3 * statistics.mean(draws):6.1f} ms, "
          f"median {1e3 * statistics.median(draws):6.1f} ms, max {1e3 * max(draws):6.1f} ms")
    print(f"  PNG bytes per day: mean {statistics.mean(sizes) / 1e3:.0f} kB")
    if args.profile:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(25)
    return {"step_ms": 1e3 * statistics.mean(steps), "redraw_ms": 1e3 * statistics.mean(draws),
            "redraw_max_ms": 1e3 * max(draws), "png_kb": statistics.mean(sizes) / 1e3}


if __name__ == "__main__":
    main()
