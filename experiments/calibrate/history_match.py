"""History matching: which settings of the free parameters the article's patterns cannot rule out.

Pattern-oriented calibration with a likelihood-free method (history matching, as in Vernon et al.
2010 and Andrianakis et al. 2015): a Latin-hypercube design over the free parameters' ranges
(evidence rows or labelled assumptions); every design point runs the reform timeline
(``timeline=reform_2019_2022``: 2019 as the pre-reform system, the reform phasing in through
2022) and the patterns are read from the summary's ``by_year``. Each pattern's implausibility is

    I = |model - target| / sqrt(sd_obs^2 + sd_model^2)

with sd_model the spread over seeds: the seeds of the point itself when it ran several, else the
spread of the *reference point* (the scenario's current defaults, run over ``--spread-seeds``
seeds). A point is *non-implausible* when every pattern used for the cut has I <= 3
(Pukelsheim's three-sigma rule). The report gives the non-implausible ranges of each parameter
against its prior range (what the targets pin down, what stays free), the best point, and the
patterns checked but not used for the cut (with their implausibility at the best point).

What is fitted (free parameters, patterns) depends on how the article is read
(:mod:`experiments.calibrate.readings`; ``--reading 2022``, the default, or ``cumulative``).

Run: ``python -m experiments.calibrate.history_match [--reading R] [--points N] [--scale S] [--seeds K]
[--spread-seeds K] [--jobs J] [--out DIR] [--within FOLDER]``; writes ``design.csv``,
``runs.csv``, ``scores.csv`` and ``report.md`` into a fresh folder (default
``results/calibration/history/<time>``). ``--within FOLDER`` runs a second wave: the design is
drawn inside the box of the non-implausible points of an earlier wave (refocusing).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from experiments.calibrate.readings import READINGS, Reading, patterns_of
from experiments.cli import Parser, jobs_argument, output_folder, refuse, run_main

ROOT = Path(__file__).resolve().parents[2]


def _latin(reading: Reading, lows: np.ndarray, highs: np.ndarray, points: int, seed: int) -> pd.DataFrame:
    """A Latin-hypercube design of ``points`` in the box ``lows``..``highs`` of the reading's free parameters."""
    unit = qmc.LatinHypercube(d=len(reading.free), seed=seed).random(points)
    return pd.DataFrame(qmc.scale(unit, lows, highs), columns=[f.key for f in reading.free])


def design(points: int, seed: int, reading: Reading = READINGS["2022"]) -> pd.DataFrame:
    """A Latin-hypercube design over the free parameters' ranges."""
    lows = np.array([f.low for f in reading.free])
    highs = np.array([f.high for f in reading.free])
    return _latin(reading, lows, highs, points, seed)


def summary_of(overrides: list[str], point: dict, seed: int) -> dict:
    """The summary of one run of ``overrides`` at ``point`` (config key -> value) and ``seed``, in a
    run folder that is deleted afterwards (a full-scale timeline writes tens of MB of tables)."""
    import sim

    folder = Path(tempfile.mkdtemp(prefix="shouwang-cal-"))
    try:
        extra = [f"{k}={v:.6g}" for k, v in point.items()]
        return sim.simulate(overrides + [f"seed={seed}"] + extra, run_dir=folder / "run").summary
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_point(point: dict, seed: int, scale: float, reading: Reading = READINGS["2022"]) -> dict:
    """One timeline run at ``point`` (the reading's preset for everything else); its patterns."""
    return patterns_of(summary_of(reading.overrides + [f"scale={scale}"], point, seed))


def evaluate(points: pd.DataFrame, seeds: list[int], scale: float, jobs: int,
             reading: Reading = READINGS["2022"]) -> pd.DataFrame:
    """Every design point over ``seeds``; one row per (point, seed) with its patterns."""
    from joblib import Parallel, delayed

    tasks = [(i, seed) for i in range(len(points)) for seed in seeds]
    results = Parallel(n_jobs=jobs, verbose=5)(
        delayed(run_point)(points.iloc[i].to_dict(), seed, scale, reading) for i, seed in tasks)
    return pd.DataFrame([{"point": i, "seed": seed, **r} for (i, seed), r in zip(tasks, results)])


def implausibility(runs: pd.DataFrame, spread: dict[str, float] | None = None,
                   reading: Reading = READINGS["2022"]) -> pd.DataFrame:
    """Per design point: the mean of each pattern over seeds and its implausibility.

    Args:
        runs: one row per (point, seed) with the patterns.
        spread: the patterns' sd over seeds at the reference point, used where a point ran one
            seed (a point's own spread over seeds when it has several).
        reading: whose patterns.
    """
    patterns = reading.patterns
    g = runs.groupby("point")
    out = pd.DataFrame(index=g.size().index)
    for p in patterns:
        mean, sd = g[p.name].mean(), g[p.name].std()
        sd = sd.fillna((spread or {}).get(p.name, 0.0))
        out[p.name] = mean
        out[f"I_{p.name}"] = (mean - p.value).abs() / np.sqrt(p.sd ** 2 + sd ** 2)
    for extra in sorted(set(runs.columns) - {p.name for p in patterns} - {"point", "seed"}):
        out[extra] = g[extra].mean()
    cut = [f"I_{p.name}" for p in patterns if p.cut]
    out["I_max"] = out[cut].max(axis=1)
    out["plausible"] = out["I_max"] <= 3.0
    return out


def refocus(folder: Path, points: int, seed: int, margin: float = 0.0,
            reading: Reading = READINGS["2022"]) -> tuple[pd.DataFrame, str]:
    """A design inside the box of an earlier wave's non-implausible points (or its best quarter),
    widened by ``margin`` of each prior's width on both sides (within the prior): a few survivors
    span a box narrower than the space the patterns allow, and a wave inside it could not say so."""
    earlier = pd.read_csv(folder / "design.csv", index_col="point")
    scores = pd.read_csv(folder / "scores.csv", index_col="point")
    keep = scores.index[scores["plausible"]]
    how = f"the {len(keep)} non-implausible points of {folder.name}"
    if len(keep) < 2:
        keep = scores["I_max"].nsmallest(max(2, len(scores) // 4)).index
        how = f"the {len(keep)} points of {folder.name} with the smallest maximum implausibility (none or one survived)"
    box = earlier.loc[keep]
    free = reading.free
    width = np.array([f.high - f.low for f in free])
    lows = np.maximum([f.low for f in free], np.array([box[f.key].min() for f in free]) - margin * width)
    highs = np.minimum([f.high for f in free], np.array([box[f.key].max() for f in free]) + margin * width)
    highs = np.where(highs > lows, highs, lows + 1e-9)
    if margin > 0:
        how += f", widened by {margin:.0%} of each prior's width on both sides (within the prior)"
    return _latin(reading, lows, highs, points, seed), how


def current_values(reading: Reading = READINGS["2022"]) -> dict[str, float]:
    """The free parameters' values in the reading's composed scenario (the reference point)."""
    from omegaconf import OmegaConf

    from sim.api import compose_config

    cfg = compose_config(reading.overrides)
    return {f.key: float(OmegaConf.select(cfg, f.key)) for f in reading.free}


def reference_spread(seeds: int, scale: float, jobs: int,
                     reading: Reading = READINGS["2022"]) -> tuple[pd.DataFrame, dict[str, float]]:
    """The reading's current defaults over ``seeds`` seeds: their runs and each pattern's sd."""
    from joblib import Parallel, delayed

    rows = Parallel(n_jobs=jobs)(delayed(run_point)({}, seed, scale, reading) for seed in range(100, 100 + seeds))
    frame = pd.DataFrame(rows)
    return frame, {k: float(v) for k, v in frame.std().fillna(0.0).items()}


def report(points: pd.DataFrame, scores: pd.DataFrame, args: argparse.Namespace, how: str = "") -> str:
    """The report's markdown; every sentence that states a result is computed from its numbers."""
    reading = READINGS[getattr(args, "reading", "2022")]
    ok = scores["plausible"]
    best = int(scores["I_max"].idxmin())
    lines = [
        "# History matching of the free parameters",
        "",
        f"Design: {len(points) - 1} Latin-hypercube points and the current defaults x {args.seeds} seed(s) "
        f"(the defaults: {args.spread_seeds}), each the four-year reform timeline "
        f"({' '.join(reading.overrides)}) at scale {args.scale:g}; patterns read from the summary's by_year (2019 the pre-reform "
        f"system, 2022 the article's year). Design box: {how or 'the prior ranges'}. Seed spread where a point "
        f"ran one seed: the current defaults over {args.spread_seeds} seeds. A point is non-implausible when "
        "every pattern used for the cut lies within 3 standard deviations (observation and seed spread).",
        "",
        f"Non-implausible points: {int(ok.sum())} of {len(points)}.",
        "",
        "## Patterns",
        "",
        "| pattern | target | sd | used for the cut | model at the best point | implausibility there | source |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for p in reading.patterns:
        lines.append(f"| {p.name} | {p.value:g} | {p.sd:g} | {'yes' if p.cut else 'checked only'} | "
                     f"{scores.at[best, p.name]:.4g} | {scores.at[best, f'I_{p.name}']:.2f} | {p.source} |")
    lines += ["", "## What the patterns pin down", "",
              "| parameter | prior range | non-implausible range | share of prior width kept | source of the prior |",
              "| --- | --- | --- | --- | --- |"]
    for f in reading.free:
        kept = points.loc[ok.to_numpy(), f.key]
        if len(kept):
            share = (kept.max() - kept.min()) / (f.high - f.low)
            verdict = f"{share:.0%}"
            rng = f"{kept.min():.4g} - {kept.max():.4g}"
        else:
            verdict, rng = "-", "none left"
        lines.append(f"| {f.key} | {f.low:g} - {f.high:g} | {rng} | {verdict} | {f.source} |")
    lines += reading.held_note()
    lines += ["", f"Best point (smallest maximum implausibility, {scores.at[best, 'I_max']:.2f}):", ""]
    lines += [f"- `{k}={v:.4g}`" for k, v in points.iloc[best].items()]
    if not ok.any():
        lines += ["", "No point survived the cut: the model, with these mechanisms and ranges, cannot yet "
                  "reproduce every pattern at once; the best point is shown for what it misses."]
    return "\n".join(lines) + "\n"


def wave_args(folder: str | Path) -> dict:
    """The arguments a history-matching wave ran with (its ``args.json``; {} when missing). A wave
    from before readings existed has no ``reading``: it is the 2022 reading's."""
    path = Path(folder) / "args.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def main(argv: list[str] | None = None) -> Path:
    parser = Parser(prog="python -m experiments.calibrate.history_match", description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=40, help="design points (default 40)")
    parser.add_argument("--seeds", type=int, default=1, help="seeds per point (default 1)")
    parser.add_argument("--spread-seeds", type=int, default=3,
                        help="seeds of the current defaults, for the seed spread (default 3)")
    parser.add_argument("--scale", type=float, default=1.0, help="population scale, 0 < s <= 1 (default 1)")
    parser.add_argument("--jobs", type=jobs_argument, default=2, help="processes (default 2; -1: all cores)")
    parser.add_argument("--seed", type=int, default=0, help="of the design")
    parser.add_argument("--within", default=None, help="an earlier wave's folder: refocus the design inside "
                        "the box of its non-implausible points")
    parser.add_argument("--margin", type=float, default=0.1, help="with --within: widen the box by this share "
                        "of each prior's width on both sides, within the prior (default 0.1)")
    parser.add_argument("--reading", choices=sorted(READINGS), default="2022",
                        help="how the article's 43,475 mediated cases are read: 2022 alone (default) or "
                        "2020-2022's total (experiments/calibrate/readings.py)")
    parser.add_argument("--out", default=None, help="output folder (new or empty; default "
                        "results/calibration/history/<date>_<time>)")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    for name in ("points", "seeds", "spread_seeds"):
        if getattr(args, name) < 1:
            refuse(f"--{name.replace('_', '-')}", "must be >= 1", getattr(args, name))
    if not 0 < args.scale <= 1:
        refuse("--scale", "must be in (0, 1]", args.scale)
    if not 0 <= args.margin <= 1:
        refuse("--margin", "must be in [0, 1]", args.margin)
    reading = READINGS[args.reading]
    within = Path(args.within) if args.within else None
    if within is not None and not (within / "scores.csv").is_file():
        refuse("--within", "is not a history-matching folder (no scores.csv)", args.within)
    earlier = wave_args(within).get("reading", "2022") if within is not None else args.reading
    if earlier != args.reading:
        refuse("--within", f"is a wave of the {earlier} reading, not {args.reading}", args.within)
    out = output_folder(args.out, "--out", Path("results") / "calibration" / "history")
    if within is not None:
        points, how = refocus(within, args.points, args.seed, args.margin, reading)
    else:
        points, how = design(args.points, args.seed, reading), ""
    # the current defaults join the design as its last point, scored from their spread runs
    points = pd.concat([points, pd.DataFrame([current_values(reading)])], ignore_index=True)
    points.to_csv(out / "design.csv", index_label="point")
    reference, spread = reference_spread(args.spread_seeds, args.scale, args.jobs, reading)
    reference.to_csv(out / "reference.csv", index=False)
    runs = evaluate(points.iloc[:-1], list(range(args.seeds)), args.scale, args.jobs, reading)
    runs = pd.concat([runs, reference.assign(point=len(points) - 1, seed=range(100, 100 + len(reference)))],
                     ignore_index=True)
    runs.to_csv(out / "runs.csv", index=False)
    scores = implausibility(runs, spread, reading)
    scores.to_csv(out / "scores.csv", index_label="point")
    (out / "report.md").write_text(report(points, scores, args, how), encoding="utf-8")
    (out / "args.json").write_text(json.dumps({k: str(v) for k, v in vars(args).items()}, indent=1))
    print(f"report: {out / 'report.md'}")
    return out


if __name__ == "__main__":
    run_main(main)
