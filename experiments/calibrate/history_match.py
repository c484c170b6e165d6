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

Run: ``python -m experiments.calibrate.history_match [--points N] [--scale S] [--seeds K]
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
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from experiments.cli import Parser, jobs_argument, output_folder, refuse, run_main

ROOT = Path(__file__).resolve().parents[2]
TIMELINE = "timeline=reform_2019_2022"


@dataclass(frozen=True)
class Free:
    """A free parameter: its config key, prior range and where the range comes from."""

    key: str
    low: float
    high: float
    source: str


FREE = (
    Free("disputes.rate_per_10k", 300.0, 650.0, "assumption: candidate disputes a year per 10,000 (IM mediates ~5 per 1,000 a year, evidence 2.3; the article's 43,475 is ~19 per 1,000)"),
    Free("staffing.visits_per_worker_day", 0.5, 4.0, "evidence 3.4 (general households twice a year, vulnerable ones monthly, 2/3 of working time in the grid) to 2.35 (weekly visits)"),
    Free("disputes.fade_per_day", 0.0, 0.1, "assumption: parties settle calm disputes themselves within weeks to never"),
    Free("disputes.acute_share", 0.0, 0.15, "assumption: flare-ups; 65% of conversions escalated from a quarrel to a fight (evidence 4.12)"),
    Free("police.criminal_base", 0.002, 0.02, "assumption: conversion chance per unit of intensity at a call-out"),
    Free("disputes.growth_per_day", 0.01, 0.05, "assumption: latent intensity growth a day"),
    Free("disputes.self_report", 0.02, 0.1, "assumption: daily self-report chance at full trust and intensity"),
    Free("mediation.intensity_penalty", 0.5, 4.0, "assumption: log-odds of settling lost per unit of intensity above 0.5"),
    Free("crime.background_per_10k", 0.1, 0.6, "evidence 2.30 (IM 2020: 0.93 serious violent crimes per 10,000) times the share not born of disputes (evidence 4.8-4.10: 36-90% dispute-born)"),
    Free("crime.background_trend", -0.12, 0.0, "evidence 4.4 (China's eight major categories -7.8% a year, 2022) to a flat trend"),
    Free("fraud.attempts_per_10k_day", 2.5, 5.0, "assumption around the 2019 peak: ~30 cases a day (article) at the pre-reform awareness"),
    Free("fraud.campaign_reach_per_10k_day", 150.0, 450.0, "assumption: residents the campaign reaches a day (the national app from March 2021)"),
    Free("residents.awareness_memory", 0.3, 0.8, "assumption: share of raised fraud awareness that lasts"),
)


@dataclass(frozen=True)
class Pattern:
    """A target: the observed value, its uncertainty, and whether it enters the cut."""

    name: str
    value: float
    sd: float
    source: str
    cut: bool = True


PATTERNS = (
    Pattern("mediated_cases", 43475, 0.05 * 43475, "article: 43,475 cases mediated, read as 2022 (the review of 2020-2022 does not date it; sd 5%: recording practice)"),
    Pattern("mediation_success_rate", 0.997, 0.0015, "article: 99.7% in 2022 (sd 0.15 points: rounding and recording)"),
    Pattern("satisfaction", 0.9933, 0.0025, "article / evidence 2.9: 99.33% satisfaction with public safety, 2022 (sd 0.25 points)"),
    Pattern("fraud_cases_per_day", 3.6, 0.36, "article: 3.6 a day in 2022 (sd 10%)"),
    Pattern("fraud_peak_per_day", 30.0, 3.0, "article: a peak near 30 a day before the campaign (30-day mean, any year; sd 10%)"),
    Pattern("serious_change", -0.1213, 0.05, "article: eight major categories -12.13% in 2022 on 2021 (homicides -22.5%); sd 5 points"),
    Pattern("conversion_ratio", 0.65, 0.1, "article's one-year falls carried over three reform years: 2022 / 2019 conversions 0.45-0.85x"),
    Pattern("conversions", 130.0, 45.0, "derived: ~208 serious violent crimes a year at IM's rate (evidence 2.30), 36-90% dispute-born (evidence 4.8, 4.9)"),
    Pattern("serious_crimes", 197.0, 50.0, "evidence 2.22, 2.10: IM courts' 2,114 serious violent cases in 2022 / 24.05 M residents, at Hulunbuir's 2.24 M (sd 25%, assumption: Hulunbuir against IM's mean, courts' count against the police's 2,233 in 2020, evidence 2.30)"),
    Pattern("pre_mediated_cases", 9300.0, 3000.0, "evidence 2.6/2.7: ~28,000 mediated in 2019-2021 (~9,300 a year); 2019 of the timeline (if the article's 43,475 were 2020-2022's total, both would fit ~10-15k a year)", cut=False),
    Pattern("court_referred_success", 0.65, 0.05, "evidence 6.4 (65.0% in 2020), 6.9 (68.7% in 2023): court-referred mediation success", cut=False),
    Pattern("grassroots_share", 0.8, 0.05, "evidence 1.8: ~80% of mediated disputes settled at the grassroots (grid, village, township); the rest by sectoral committees (dispatch by kind)"),
    Pattern("court_mean_days", 60.0, 15.0, "evidence 2.26: Hohhot's courts 60 days on average in 2022", cut=False),
)
GRASSROOTS = ("grid", "neighbour", "village", "township")


def patterns_of(summary: dict) -> dict[str, float]:
    """The patterns of a timeline run, from its ``by_year`` (counts for the whole city at any scale:
    below scale 1 ``by_year`` weights the sampled townships to the city, :mod:`sim.yearly`)."""
    years = summary["by_year"]
    y19, y21, y22 = years["2019"], years["2021"], years["2022"]
    resolved = y22["resolved_at"]
    court = y22["court"]
    return {
        "mediated_cases": y22["mediated_cases"],
        "mediation_success_rate": y22["mediation_success_rate"],
        "satisfaction": y22["satisfaction"],
        "fraud_cases_per_day": y22["fraud_cases_per_day"],
        "fraud_peak_per_day": max(y["fraud_peak_per_day"] for y in years.values()),
        "serious_change": y22["serious_crimes"] / max(y21["serious_crimes"], 1) - 1.0,
        "conversion_ratio": y22["conversions"] / max(y19["conversions"], 1),
        "conversions": y22["conversions"],
        "serious_crimes": y22["serious_crimes"],
        "pre_mediated_cases": y19["mediated_cases"],
        "court_referred_success": (court["settled_in_mediation"] / court["referred_to_mediation"]
                                   if court["referred_to_mediation"] else float("nan")),
        "grassroots_share": sum(resolved.get(a, 0) for a in GRASSROOTS) / max(sum(resolved.values()), 1),
        "court_mean_days": court["mean_days"],
        "police_incidents": y22["police_incidents"],
        "pre_police_incidents": y19["police_incidents"],
        "petitions": y22["petitions"],
        "court_filings": court["filings"],
    }


def design(points: int, seed: int) -> pd.DataFrame:
    """A Latin-hypercube design over the free parameters' ranges."""
    unit = qmc.LatinHypercube(d=len(FREE), seed=seed).random(points)
    lows = np.array([f.low for f in FREE])
    highs = np.array([f.high for f in FREE])
    return pd.DataFrame(qmc.scale(unit, lows, highs), columns=[f.key for f in FREE])


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


def run_point(point: dict, seed: int, scale: float) -> dict:
    """One timeline run at ``point``; its patterns."""
    return patterns_of(summary_of([TIMELINE, f"scale={scale}"], point, seed))


def evaluate(points: pd.DataFrame, seeds: list[int], scale: float, jobs: int) -> pd.DataFrame:
    """Every design point over ``seeds``; one row per (point, seed) with its patterns."""
    from joblib import Parallel, delayed

    tasks = [(i, seed) for i in range(len(points)) for seed in seeds]
    results = Parallel(n_jobs=jobs, verbose=5)(
        delayed(run_point)(points.iloc[i].to_dict(), seed, scale) for i, seed in tasks)
    return pd.DataFrame([{"point": i, "seed": seed, **r} for (i, seed), r in zip(tasks, results)])


def implausibility(runs: pd.DataFrame, spread: dict[str, float] | None = None) -> pd.DataFrame:
    """Per design point: the mean of each pattern over seeds and its implausibility.

    Args:
        runs: one row per (point, seed) with the patterns.
        spread: the patterns' sd over seeds at the reference point, used where a point ran one
            seed (a point's own spread over seeds when it has several).
    """
    g = runs.groupby("point")
    out = pd.DataFrame(index=g.size().index)
    for p in PATTERNS:
        mean, sd = g[p.name].mean(), g[p.name].std()
        sd = sd.fillna((spread or {}).get(p.name, 0.0))
        out[p.name] = mean
        out[f"I_{p.name}"] = (mean - p.value).abs() / np.sqrt(p.sd ** 2 + sd ** 2)
    for extra in sorted(set(runs.columns) - {p.name for p in PATTERNS} - {"point", "seed"}):
        out[extra] = g[extra].mean()
    cut = [f"I_{p.name}" for p in PATTERNS if p.cut]
    out["I_max"] = out[cut].max(axis=1)
    out["plausible"] = out["I_max"] <= 3.0
    return out


def refocus(folder: Path, points: int, seed: int, margin: float = 0.0) -> tuple[pd.DataFrame, str]:
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
    unit = qmc.LatinHypercube(d=len(FREE), seed=seed).random(points)
    width = np.array([f.high - f.low for f in FREE])
    lows = np.maximum([f.low for f in FREE], np.array([box[f.key].min() for f in FREE]) - margin * width)
    highs = np.minimum([f.high for f in FREE], np.array([box[f.key].max() for f in FREE]) + margin * width)
    highs = np.where(highs > lows, highs, lows + 1e-9)
    if margin > 0:
        how += f", widened by {margin:.0%} of each prior's width on both sides (within the prior)"
    return pd.DataFrame(qmc.scale(unit, lows, highs), columns=[f.key for f in FREE]), how


def current_values() -> dict[str, float]:
    """The free parameters' values in the composed default scenario (the reference point)."""
    from omegaconf import OmegaConf

    from sim.api import compose_config

    cfg = compose_config([TIMELINE])
    return {f.key: float(OmegaConf.select(cfg, f.key)) for f in FREE}


def reference_spread(seeds: int, scale: float, jobs: int) -> tuple[pd.DataFrame, dict[str, float]]:
    """The scenario's current defaults over ``seeds`` seeds: their runs and each pattern's sd."""
    from joblib import Parallel, delayed

    rows = Parallel(n_jobs=jobs)(delayed(run_point)({}, seed, scale) for seed in range(100, 100 + seeds))
    frame = pd.DataFrame(rows)
    return frame, {k: float(v) for k, v in frame.std().fillna(0.0).items()}


def report(points: pd.DataFrame, scores: pd.DataFrame, args: argparse.Namespace, how: str = "") -> str:
    """The report's markdown; every sentence that states a result is computed from its numbers."""
    ok = scores["plausible"]
    best = int(scores["I_max"].idxmin())
    lines = [
        "# History matching of the free parameters",
        "",
        f"Design: {len(points) - 1} Latin-hypercube points and the current defaults x {args.seeds} seed(s) "
        f"(the defaults: {args.spread_seeds}), each the four-year reform timeline "
        f"({TIMELINE}) at scale {args.scale:g}; patterns read from the summary's by_year (2019 the pre-reform "
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
    for p in PATTERNS:
        lines.append(f"| {p.name} | {p.value:g} | {p.sd:g} | {'yes' if p.cut else 'checked only'} | "
                     f"{scores.at[best, p.name]:.4g} | {scores.at[best, f'I_{p.name}']:.2f} | {p.source} |")
    lines += ["", "## What the patterns pin down", "",
              "| parameter | prior range | non-implausible range | share of prior width kept | source of the prior |",
              "| --- | --- | --- | --- | --- |"]
    for f in FREE:
        kept = points.loc[ok.to_numpy(), f.key]
        if len(kept):
            share = (kept.max() - kept.min()) / (f.high - f.low)
            verdict = f"{share:.0%}"
            rng = f"{kept.min():.4g} - {kept.max():.4g}"
        else:
            verdict, rng = "-", "none left"
        lines.append(f"| {f.key} | {f.low:g} - {f.high:g} | {rng} | {verdict} | {f.source} |")
    lines += ["", f"Best point (smallest maximum implausibility, {scores.at[best, 'I_max']:.2f}):", ""]
    lines += [f"- `{k}={v:.4g}`" for k, v in points.iloc[best].items()]
    if not ok.any():
        lines += ["", "No point survived the cut: the model, with these mechanisms and ranges, cannot yet "
                  "reproduce every pattern at once; the best point is shown for what it misses."]
    return "\n".join(lines) + "\n"


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
    within = Path(args.within) if args.within else None
    if within is not None and not (within / "scores.csv").is_file():
        refuse("--within", "is not a history-matching folder (no scores.csv)", args.within)
    out = output_folder(args.out, "--out", Path("results") / "calibration" / "history")
    if within is not None:
        points, how = refocus(within, args.points, args.seed, args.margin)
    else:
        points, how = design(args.points, args.seed), ""
    # the current defaults join the design as its last point, scored from their spread runs
    points = pd.concat([points, pd.DataFrame([current_values()])], ignore_index=True)
    points.to_csv(out / "design.csv", index_label="point")
    reference, spread = reference_spread(args.spread_seeds, args.scale, args.jobs)
    reference.to_csv(out / "reference.csv", index=False)
    runs = evaluate(points.iloc[:-1], list(range(args.seeds)), args.scale, args.jobs)
    runs = pd.concat([runs, reference.assign(point=len(points) - 1, seed=range(100, 100 + len(reference)))],
                     ignore_index=True)
    runs.to_csv(out / "runs.csv", index=False)
    scores = implausibility(runs, spread)
    scores.to_csv(out / "scores.csv", index_label="point")
    (out / "report.md").write_text(report(points, scores, args, how), encoding="utf-8")
    (out / "args.json").write_text(json.dumps({k: str(v) for k, v in vars(args).items()}, indent=1))
    print(f"report: {out / 'report.md'}")
    return out


if __name__ == "__main__":
    run_main(main)
