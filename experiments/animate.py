"""``python -m experiments.animate RUN_DIR [--out FILE.gif] [--fps N] [--every DAYS]``

Turns a saved run folder into a GIF for slides: the hierarchy with disputes climbing it, the
queues per tier and the escalation ladder, with a title and a day counter. Made from the saved
tables only (``disputes.parquet``, ``daily.parquet``, ``summary.json``), never by re-running.

Example (the demo county, one quarter)::

    python -m sim city=demo_county days=90 hydra.run.dir=results/demo
    python -m experiments.animate results/demo --out results/demo/ladder.gif
"""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.cli import Parser, refuse, run_main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = Parser(prog="python -m experiments.animate",
                                description="Animate a saved run folder as a GIF for slides.")
    p.add_argument("run_dir", type=Path, help="a complete run folder (has summary.json)")
    p.add_argument("--out", type=Path, help="the GIF to write (default RUN_DIR/ladder.gif)")
    p.add_argument("--fps", type=int, default=6, help="frames per second (default 6)")
    p.add_argument("--every", type=int, help="days per frame (default: at most 150 frames)")
    p.add_argument("--dpi", type=int, default=80, help="pixels per inch of the 13.3 x 7.5 in frame (default 80)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> Path:
    from sim.results import read_run
    from sim.sweep_progress import run_problem

    args = parse_args(argv)
    for key in ("fps", "every", "dpi"):
        value = getattr(args, key)
        if value is not None and value < 1:
            refuse(f"--{key}", "must be >= 1", value)
    problem = run_problem(args.run_dir)
    if problem:
        refuse("run_dir", f"not a finished run folder ({problem})", str(args.run_dir))
    if args.out is not None and args.out.is_dir():
        refuse("--out", "is a folder; name the GIF to write", str(args.out))
    result = read_run(args.run_dir)
    import matplotlib

    matplotlib.use("Agg")
    from sim.viz.animation import animate
    from sim.viz.replay import replay

    out = args.out or args.run_dir / "ladder.gif"
    path = animate(replay(result), out, fps=args.fps, every=args.every, dpi=args.dpi)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return path


if __name__ == "__main__":
    run_main(main)
