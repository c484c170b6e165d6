"""The shared command line of experiment scripts: run the sweep, aggregate, write the report."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from experiments.aggregate import aggregate
from experiments.sweep import plan, run_sweep
from experiments.sweep_report import ReportSpec, write
from sim.errors import ShouwangError


def main(spec: ReportSpec, prog: str, argv: list[str] | None = None) -> Path:
    """``python -m experiments.<name> [--out DIR] [--jobs N] [overrides...]``; returns the report path."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog=f"python -m {prog}", description=spec.question)
    parser.add_argument("--experiment", default=spec.experiment, help="config under scenarios/experiment/")
    parser.add_argument("--out", help="sweep folder (default: the experiment's hydra.sweep.dir)")
    parser.add_argument("--jobs", type=int, default=1, help="processes (joblib); -1: all cores")
    parser.add_argument("--report-only", action="store_true", help="rebuild the report from saved results")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides; a,b or range(..) sweeps")
    args = parser.parse_args(argv)
    if args.experiment != spec.experiment:
        spec = ReportSpec(**{**spec.__dict__, "experiment": args.experiment})
    command = f"python -m {prog} " + " ".join(shlex.quote(a) for a in argv)
    try:
        if args.report_only:
            _, fixed, root = plan(spec.experiment, args.overrides, args.out)
            saved = root / "sweep.json"  # the report keeps the command that made the runs
            if saved.exists() and json.loads(saved.read_text()).get("command"):
                command = json.loads(saved.read_text())["command"]
        else:
            root = run_sweep(spec.experiment, args.overrides, args.out, args.jobs, command=command.strip())
            _, fixed, _ = plan(spec.experiment, args.overrides, args.out)
            aggregate(root)
    except ShouwangError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    path = write(root, spec, command.strip(), fixed)
    print(f"report: {path}")
    return path
