"""The calibration's posterior: the non-implausible draws, their runs, and the committed report.

After history matching (:mod:`experiments.calibrate.history_match`, one or more waves), the
points no pattern rules out are the calibration's posterior sample (history matching's
"non-implausible space"; a point counts when its maximum implausibility over the cut's patterns
is <= 3). This module

- ``confirm``: picks up to ``--draws`` of them (spread over the space: the central draw first,
  then the ones farthest from those already picked), runs each for ``--seeds`` seeds of the
  reform timeline at full scale, and writes ``report.md`` with every pattern against the model
  (mean and 95% interval over draws and seeds), the identifiability table over all waves, what
  stayed an assumption, and ``draws.csv`` (the draws, the central one first) and
  ``calibration.yaml`` (the central draw as a calibration preset's values);
- ``scenario``: runs any scenario (Hydra overrides) over committed draws and seeds (``--reading``
  picks whose draws, and composes its calibration preset), so what-ifs
  carry the calibration's uncertainty, not only the seeds', and prints each headline figure's mean
  and 95% interval.

The waves' reading (:mod:`experiments.calibrate.readings`, from their ``args.json``) sets the
patterns, the free parameters and the done-criterion windows.

Run: ``python -m experiments.calibrate.posterior confirm --waves DIR [DIR ...] [--draws N]
[--seeds K] [--jobs J] [--out DIR] [--publish DIR]`` and ``python -m experiments.calibrate.posterior
scenario [--reading R] [--draws-file CSV] [--seeds K] [--jobs J] [override ...]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.calibrate.history_match import summary_of, wave_args
from experiments.calibrate.readings import READINGS, TIMELINE, Reading, patterns_of
from experiments.cli import Parser, jobs_argument, output_folder, publish, refuse, run_main, say

ROOT = Path(__file__).resolve().parents[2]
DRAWS = ROOT / READINGS["2022"].draws_file
HEADLINE = ("mediated_cases", "mediation_success_rate", "satisfaction", "fraud_cases_per_day", "police_incidents",
            "petitions", "court_filings", "conversions")


def waves(folders: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All waves' design points and scores, one row per point (index ``wave:point``); a point that
    recurs with the same values (the defaults each wave scores) counts once, as its first wave's."""
    points, scores = [], []
    for k, folder in enumerate(folders):
        d = pd.read_csv(folder / "design.csv", index_col="point")
        s = pd.read_csv(folder / "scores.csv", index_col="point")
        d.index = s.index = [f"{k}:{i}" for i in d.index]
        points.append(d)
        scores.append(s)
    points, scores = pd.concat(points), pd.concat(scores)
    first = ~points.duplicated(keep="first")  # the defaults each wave starts from, scored again: count once
    return points[first], scores[first]


def wave_scales(folders: list) -> str:
    """The scale(s) the waves ran at."""
    return ", ".join(sorted({wave_args(folder).get("scale", "?") for folder in folders}))


def wave_commands(folders: list) -> list[str]:
    """The history-matching commands that made the waves."""
    lines = []
    for k, folder in enumerate(folders, start=1):
        a = wave_args(folder)
        within = f" --within <wave{k - 1}>" if a.get("within") not in (None, "None") else ""
        if within and a.get("margin"):
            within += f" --margin {a['margin']}"
        reading = f" --reading {a['reading']}" if a.get("reading", "2022") != "2022" else ""
        lines.append(f"python -m experiments.calibrate.history_match{reading} --points {a.get('points', '?')} "
                     f"--seeds {a.get('seeds', '1')} "
                     f"--scale {a.get('scale', '?')} --spread-seeds {a.get('spread_seeds', '?')} "
                     f"--seed {a.get('seed', '?')}{within} --out <wave{k}>")
    return lines


def reading_of(folders: list) -> Reading:
    """The reading the waves ran under (each wave's ``args.json``; before readings existed: 2022)."""
    names = {wave_args(folder).get("reading", "2022") for folder in folders}
    if len(names) > 1:
        refuse("--waves", "mix readings", " ".join(sorted(names)))
    return READINGS[names.pop() if names else "2022"]


def unit(points: pd.DataFrame, reading: Reading = READINGS["2022"]) -> np.ndarray:
    """Points scaled to the unit cube of the prior ranges."""
    return np.column_stack([(points[f.key] - f.low) / (f.high - f.low) for f in reading.free])


def incumbent(folders: list) -> str | None:
    """The defaults the waves started from: history matching scores them as the first wave's last point."""
    n = wave_args(folders[0]).get("points") if folders else None
    return f"0:{n}" if n not in (None, "?") else None


def pick(points: pd.DataFrame, scores: pd.DataFrame, n: int, always: str | None = None,
         reading: Reading = READINGS["2022"]) -> tuple[list[str], str]:
    """Up to ``n`` draws: the central non-implausible point first, then farthest-point spread; and
    ``always`` (the defaults the waves started from) when it is non-implausible and not among them.

    When fewer than two points are non-implausible, the ``n`` points with the smallest maximum
    implausibility stand in (and the report says so).
    """
    ok = scores.index[scores["plausible"].astype(bool)]
    pool = "non-implausible"
    if len(ok) < 2:
        ok = scores["I_max"].nsmallest(n).index
        pool = "smallest maximum implausibility (fewer than two points were non-implausible)"
    x = unit(points.loc[ok], reading)
    centre = np.median(x, axis=0)
    chosen = [int(np.argmin(((x - centre) ** 2).sum(axis=1)))]
    while len(chosen) < min(n, len(ok)):
        d = np.min([((x - x[c]) ** 2).sum(axis=1) for c in chosen], axis=0)
        chosen.append(int(np.argmax(d)))
    names = [ok[i] for i in chosen]
    if always is not None and always in ok and always not in names:
        names.append(always)
    return names, pool


def run_draws(draws: pd.DataFrame, seeds: list[int], jobs: int, overrides: list[str],
              keep: callable = patterns_of, done: frozenset | set = frozenset()) -> pd.DataFrame:
    """Each draw (row: config key -> value) for each seed, except the ``(draw, seed)`` pairs in
    ``done``; one row of ``keep(summary)`` per run."""
    from joblib import Parallel, delayed

    def one(point: dict, seed: int) -> dict:
        return keep(summary_of(overrides, point, seed))

    tasks = [(name, seed) for name in draws.index for seed in seeds if (name, seed) not in done]
    rows = Parallel(n_jobs=jobs, verbose=5)(delayed(one)(draws.loc[name].to_dict(), seed) for name, seed in tasks)
    return pd.DataFrame([{"draw": name, "seed": seed, **r} for (name, seed), r in zip(tasks, rows)])


def interval(x: pd.Series) -> tuple[float, float, float]:
    """Mean and the central 95% interval (2.5 and 97.5 percentiles) over runs."""
    v = x.dropna().to_numpy(float)
    if not len(v):
        return float("nan"), float("nan"), float("nan")
    return float(v.mean()), float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))


def fmt(name: str, v: float) -> str:
    """A figure as the report shows it."""
    if not np.isfinite(v):
        return "-"
    if name in ("mediation_success_rate", "satisfaction", "court_referred_success", "grassroots_share"):
        return f"{v:.2%}"
    if name in ("serious_change",):
        return f"{v:+.1%}"
    if name in ("conversion_ratio",):
        return f"{v:.2f}x"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"


def identifiability(points: pd.DataFrame, scores: pd.DataFrame, reading: Reading = READINGS["2022"]) -> list[str]:
    """The table of what the patterns pin down: non-implausible range against the prior."""
    ok = scores["plausible"].astype(bool).to_numpy()
    lines = ["| parameter | prior range | non-implausible range | share of the prior kept | verdict | source of the prior |",
             "| --- | --- | --- | --- | --- | --- |"]
    for f in reading.free:
        kept = points.loc[ok, f.key]
        if len(kept) >= 2:
            share = (kept.max() - kept.min()) / (f.high - f.low)
            verdict = "pinned down" if share < 0.4 else ("narrowed" if share < 0.75 else "free (not identified)")
            lines.append(f"| `{f.key}` | {f.low:g} - {f.high:g} | {kept.min():.4g} - {kept.max():.4g} | {share:.0%} | "
                         f"{verdict} | {f.source} |")
        else:
            lines.append(f"| `{f.key}` | {f.low:g} - {f.high:g} | fewer than two points left | - | - | {f.source} |")
    return lines


def draw_scores(runs: pd.DataFrame, reading: Reading = READINGS["2022"]) -> pd.DataFrame:
    """Each draw's implausibility from its own runs (the confirmation wave), as history matching scores a point."""
    from experiments.calibrate.history_match import implausibility

    frame = runs.rename(columns={"draw": "point"})
    return implausibility(frame, reading=reading)


def within_windows(runs: pd.DataFrame, reading: Reading = READINGS["2022"]) -> pd.Series:
    """Per draw: do the means of its own runs lie inside every done-criterion window of the reading?"""
    windows = reading.windows
    means = runs.groupby("draw")[list(windows)].mean()
    return pd.Series({d: all(lo <= means.at[d, k] <= hi for k, (lo, hi) in windows.items()) for d in means.index})


def chosen(scores: pd.DataFrame, names: list[str], runs: pd.DataFrame | None = None,
           reading: Reading = READINGS["2022"]) -> str:
    """The default: of the draws their own runs do not rule out, the one with the smallest maximum
    implausibility, preferring those whose means meet every done-criterion window (given ``runs``);
    of all draws when every one is ruled out.

    The 3-sd cut is wider than the windows (mediated cases: 15% against 5%), so a survivor can be
    plausible and still miss a window the project holds the model to."""
    pool = scores.loc[names]
    alive = pool[pool["plausible"].astype(bool)]
    pool = alive if len(alive) else pool
    if runs is not None:
        inside = within_windows(runs, reading)
        meeting = pool[[bool(inside.get(n, False)) for n in pool.index]]
        pool = meeting if len(meeting) else pool
    return str(pool["I_max"].idxmin())


def confirm_report(points: pd.DataFrame, scores: pd.DataFrame, names: list[str], pool: str, runs: pd.DataFrame,
                   args: argparse.Namespace) -> str:
    """The committed report; every sentence that states a result is computed from the numbers it states."""
    reading = reading_of(args.waves)
    command = TIMELINE if reading.name == "2022" else " ".join(reading.overrides)  # the default needs no preset
    ok = scores["plausible"].astype(bool)
    n_ok, n_all = int(ok.sum()), len(scores)
    confirmed = draw_scores(runs, reading)
    alive = [n for n in names if bool(confirmed.at[n, "plausible"])]
    central = chosen(confirmed, names, runs, reading)
    meets = within_windows(runs, reading)
    inc = args_incumbent(args)
    extra = f"; and `{inc}`, the defaults the waves started from" if len(names) > args.draws and names[-1] == inc else ""
    kept = runs[runs["draw"].isin(alive)] if alive else runs
    out_of = [n for n in names if n not in alive]
    ruled_i = ", ".join(f"{confirmed.at[n, 'I_max']:.2f}" for n in out_of)
    lines = [
        "# Calibration of the reform timeline (history matching, 2019-2022)",
        "",
        f"History matching ran {len(args.waves)} wave(s) over {n_all} design points (each the four-year reform "
        f"timeline, `python -m sim {command}`, at scale {wave_scales(args.waves)}); {n_ok} point(s) are non-implausible (every "
        "pattern used for the cut within 3 standard deviations of observation and seed spread). "
        f"{len(names)} draw(s) from the {pool} points (the one nearest their median, then the farthest from those "
        f"picked{extra}) ran again for {len(set(runs['seed']))} seed(s) each at scale {args.scale:g} ({len(runs)} runs), "
        "a confirmation wave scored the same way.",
        "",
        (f"Ruled out by their own runs in the confirmation wave: {', '.join(f'`{n}`' for n in out_of)} "
         f"(maximum implausibility {ruled_i}). "
         if out_of else "No draw was ruled out by its own runs in the confirmation wave. ")
        + (f"The figures below are the mean and the central 95% interval over the {len(alive)} surviving draw(s) "
           f"x seeds ({len(kept)} runs). " if alive else "Every draw was ruled out: the figures below are over all of them. ")
        + f"The defaults (`scenarios/calibration/{reading.preset}.yaml`) are draw `{central}`: of the survivors"
          + (" whose means lie within every done-criterion window" if bool(meets.get(central, False)) else "")
          + f", the one with the smallest maximum implausibility ({confirmed.at[central, 'I_max']:.2f})"
          + (f"; survivors outside a window: {', '.join(f'`{n}`' for n in alive if not bool(meets.get(n, False)))}"
             if any(not bool(meets.get(n, False)) for n in alive) else "") + ".",
        "",
        "## Targets against the model",
        "",
        "| pattern | target | used for the cut | model mean | 95% interval (draws x seeds) | done-criterion window | "
        "default draw's mean within it | source |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    misses = []
    central_runs = runs[runs["draw"] == central]
    for p in reading.patterns:
        m, lo, hi = interval(kept[p.name])
        window = reading.windows.get(p.name)
        cm = float(central_runs[p.name].mean())
        if window:
            inside = window[0] <= cm <= window[1]
            verdict = "yes" if inside else "**no**"
            wtext = f"{fmt(p.name, window[0])} - {fmt(p.name, window[1])}"
            if not inside:
                misses.append(p.name)
        else:
            verdict, wtext = "", "(checked only)" if not p.cut else ""
        lines.append(f"| {p.name} | {fmt(p.name, p.value)} | {'yes' if p.cut else 'no'} | {fmt(p.name, m)} | "
                     f"{fmt(p.name, lo)} - {fmt(p.name, hi)} | {wtext} | {verdict} | {p.source} |")
    lines += [""]
    if misses:
        lines.append(f"The default draw misses the done-criterion window of: {', '.join(misses)}.")
    else:
        lines.append("The default draw's mean lies within every done-criterion window.")
    checked = [p for p in reading.patterns if not p.cut]
    far = [p.name for p in checked
           if abs(float(kept[p.name].mean()) - p.value) > 3 * p.sd]
    if far:
        lines.append(f"Checked but not used for the cut, and more than 3 sd from the evidence: {', '.join(far)} "
                     "(the source column says what the evidence counts).")
    lines += ["", "## Other figures of 2022 (no target)", "",
              "| figure | mean | 95% interval |", "| --- | --- | --- |"]
    for name in ("police_incidents", "pre_police_incidents", "petitions", "court_filings"):
        m, lo, hi = interval(kept[name])
        lines.append(f"| {name} | {fmt(name, m)} | {fmt(name, lo)} - {fmt(name, hi)} |")
    lines += ["", "## What the patterns pin down (identifiability)", "",
              "Share of the prior kept = width of the non-implausible points' range over the prior width "
              "(pinned down < 40%, narrowed < 75%, else free). A parameter left free is not identified by these "
              "patterns: outputs that depend on it carry its whole range (run them over the draws, below).", ""]
    lines += identifiability(points, scores, reading)
    lines += reading.held_note()
    commands = wave_commands(args.waves)
    refocused = [k + 1 for k, c in enumerate(commands) if "--within" in c]
    if refocused and refocused[0] > 1:
        first = scores[scores.index.str.startswith("0:")]  # wave 1's points
        lines += ["", f"Wave 1 sampled the whole prior ({int(first['plausible'].sum())} of {len(first)} points "
                  f"non-implausible); wave(s) {', '.join(map(str, refocused))} sampled inside the box of an earlier "
                  "wave's survivors (widened as its command says), so a range here can be narrower than the "
                  "patterns alone make it where wave 1 had few survivors."]
    elif refocused:
        lines += ["", "Every wave sampled inside the box of an earlier wave's points, so these ranges are bounded by "
                  "that box: a wave over the whole prior would tell what the patterns alone pin down."]
    lines += ["", "## The draws", "",
              "| draw | " + " | ".join(f"`{f.key}`" for f in reading.free) + " | max implausibility (its wave) | "
              "max implausibility (confirmation) |",
              "| --- | " + " | ".join("---" for _ in reading.free) + " | --- | --- |"]
    for name in names:
        tag = " (default)" if name == central else ("" if name in alive else " (ruled out)")
        lines.append(f"| {name}{tag} | " + " | ".join(f"{points.at[name, f.key]:.4g}" for f in reading.free)
                     + f" | {scores.at[name, 'I_max']:.2f} | {confirmed.at[name, 'I_max']:.2f} |")
    lines += ["", "## What stayed an assumption", "",
              "Everything not listed above keeps the value in the scenario files, each labelled in "
              "`sim/mechanisms/sources/` (evidence row, article, setting or assumption with a range; "
              "`python -m sim.odd` prints them all). Those that matter most for these patterns: the reform "
              "levels of the timeline's phases (0.35 and 0.7, `scenarios/timeline/reform_2019_2022.yaml`), the "
              "tiers of dispatch by kind and the share dispatched so before the reform (`governance.sector_tiers`, "
              "`governance.kind_dispatch`: 0.5 in `pre_reform`), the mediation success base by tier, the satisfaction mapping, court-referred mediation's shares and "
              "the court's times, the police response and conversion rule's other terms.",
              "", "## Reproduce", "",
              "```bash",
              *wave_commands(args.waves),
              f"python -m experiments.calibrate.posterior confirm --waves {' '.join(f'<wave{k + 1}>' for k in range(len(args.waves)))} --draws {args.draws} "
              f"--seeds {args.seeds} --scale {args.scale:g} --publish {reading.results}",
              "python -m experiments.calibrate.posterior scenario --seeds 2 "
              + ("" if reading.name == "2022" else f"--reading {reading.name} ")
              + "governance=pre_reform  # any what-if over the draws",
              "```", ""]
    return "\n".join(lines)


def figure(runs: pd.DataFrame, path: Path, reading: Reading = READINGS["2022"]) -> None:
    """Each cut pattern over draws and seeds against its target (normalised by the target's sd)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cut = list(reading.patterns)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, p in enumerate(cut):
        z = (runs[p.name].to_numpy(float) - p.value) / p.sd
        ax.scatter(np.full(len(z), i) + np.linspace(-0.15, 0.15, len(z)), z, s=12,
                   color="tab:blue" if p.cut else "tab:gray")
    ax.axhspan(-3, 3, color="tab:green", alpha=0.12, label="within 3 sd of the target")
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xticks(range(len(cut)), [p.name for p in cut], rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("(model - target) / target sd")
    ax.set_title("Calibration: each run (draw x seed) against the patterns (grey: checked only)")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def args_incumbent(args: argparse.Namespace) -> str | None:
    """The defaults the waves started from, unless ``--no-incumbent``."""
    return None if getattr(args, "no_incumbent", False) else incumbent([Path(w) for w in args.waves])


def confirm(args: argparse.Namespace) -> Path:
    """The ``confirm`` command."""
    folders = [Path(w) for w in args.waves]
    for w in folders:
        if not (w / "scores.csv").is_file():
            refuse("--waves", "is not a history-matching folder (no scores.csv)", str(w))
    reading = reading_of(folders)
    out = output_folder(args.out, "--out", Path("results") / "calibration" / "posterior")
    points, scores = waves(folders)
    names, pool = pick(points, scores, args.draws, args_incumbent(args), reading)
    draws = points.loc[names, [f.key for f in reading.free]]
    seeds = list(range(args.seeds))
    reused = pd.DataFrame(columns=["draw", "seed"])
    if args.reuse:  # an earlier call's confirmation runs of these draws and seeds: only the rest run
        reused = pd.read_csv(Path(args.reuse) / "runs.csv", dtype={"draw": str})
        reused = reused[reused["draw"].isin(names) & reused["seed"].isin(seeds)]
    more = run_draws(draws, seeds, args.jobs, reading.overrides + [f"scale={args.scale}"],
                     done=set(zip(reused["draw"], reused["seed"])))
    order = {n: i for i, n in enumerate(names)}
    runs = (pd.concat([f for f in (reused, more) if len(f)], ignore_index=True)
            .sort_values(["draw", "seed"], key=lambda c: c.map(order) if c.name == "draw" else c)
            .reset_index(drop=True))
    runs.to_csv(out / "runs.csv", index=False)
    (out / "report.md").write_text(confirm_report(points, scores, names, pool, runs, args), encoding="utf-8")
    figure(runs, out / "confirm.png", reading)
    confirmed = draw_scores(runs, reading)
    default = chosen(confirmed, names, runs, reading)
    alive = [n for n in names if bool(confirmed.at[n, "plausible"])] or names
    # the surviving draws, the default first: what `scenario` runs a what-if over
    draws.loc[[default] + [n for n in alive if n != default]].to_csv(out / "draws.csv", index_label="draw")
    (out / "calibration.json").write_text(json.dumps({k: float(v) for k, v in draws.loc[default].items()}, indent=1))
    if args.publish:
        publish([out / "report.md", out / "confirm.png"], args.publish)
    say(f"report: {out / 'report.md'}")
    return out


def scenario(args: argparse.Namespace) -> pd.DataFrame:
    """The ``scenario`` command: a what-if over the committed draws and seeds (of ``--reading``; each
    run composes the reading's preset unless the overrides choose a calibration)."""
    reading = READINGS[args.reading]
    path = Path(args.draws_file or ROOT / reading.draws_file)
    if not path.is_file():
        refuse("--draws-file", "no such file", str(path))
    try:
        draws = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError) as exc:
        refuse("--draws-file", f"is not a CSV file ({exc})", str(path))
    missing = [k for k in ["draw"] + [f.key for f in reading.free] if k not in draws.columns]
    if missing or draws.empty:
        refuse("--draws-file", f"lacks the columns {missing}" if missing else "has no draws", str(path))
    draws = draws.set_index("draw")

    def headline(summary: dict) -> dict:
        from sim.weighting import city_total

        return {k: (summary[k] if k in ("mediation_success_rate", "satisfaction") else
                    city_total(summary, "criminal" if k == "conversions" else k)) for k in HEADLINE}

    overrides = list(args.overrides)
    if not any(o.lstrip("+~").startswith("calibration=") for o in overrides):
        overrides.insert(0, f"calibration={reading.preset}")
    runs = run_draws(draws, list(range(args.seeds)), args.jobs, overrides, keep=headline)
    table = pd.DataFrame({k: interval(runs[k]) for k in HEADLINE}, index=["mean", "2.5%", "97.5%"]).T
    print(f"{len(draws)} draws x {args.seeds} seeds, overrides {' '.join(args.overrides) or '(none)'}:")
    print(table.to_string(float_format=lambda v: f"{v:,.4g}"))
    return table


def main(argv: list[str] | None = None) -> object:
    argv = list(sys.argv[1:] if argv is None else argv)
    prog = "python -m experiments.calibrate.posterior"
    if not argv or argv[0] not in ("confirm", "scenario"):
        if argv and argv[0] in ("-h", "--help"):
            print(f"usage: {prog} {{confirm,scenario}} [options]  (--help after the command lists them)\n\n{__doc__}")
            raise SystemExit(0)
        refuse("command", "must be confirm or scenario", argv[0] if argv else "")
    command, rest = argv[0], argv[1:]
    parser = Parser(prog=f"{prog} {command}", description=__doc__.splitlines()[0])
    if command == "confirm":
        parser.add_argument("--waves", nargs="+", required=True, help="history-matching folders")
        parser.add_argument("--draws", type=int, default=6, help="draws to run (default 6)")
        parser.add_argument("--scale", type=float, default=1.0, help="population scale, 0 < s <= 1 (default 1)")
        parser.add_argument("--out", default=None, help="output folder (new or empty)")
        parser.add_argument("--publish", default=None, help="copy report.md and confirm.png into this folder")
        parser.add_argument("--reuse", default=None, help="an earlier confirm folder: reuse its runs of these draws "
                            "and seeds, run only the missing ones")
        parser.add_argument("--no-incumbent", action="store_true", help="do not add the defaults the waves started "
                            "from to the draws (they are added when non-implausible)")
    else:
        parser.add_argument("--reading", choices=sorted(READINGS), default="2022",
                            help="whose draws: the 2022 reading (default) or the cumulative one")
        parser.add_argument("--draws-file", default=None, help="draws (default: the reading's, "
                            f"{DRAWS.name} for 2022)")
        parser.add_argument("overrides", nargs="*", help="Hydra overrides, e.g. governance=pre_reform")
    parser.add_argument("--seeds", type=int, default=2, help="seeds per draw (default 2)")
    parser.add_argument("--jobs", type=jobs_argument, default=2, help="processes (default 2; -1: all cores)")
    args = parser.parse_args(rest)
    for name in ("draws", "seeds"):
        if getattr(args, name, 1) < 1:
            refuse(f"--{name}", "must be >= 1", getattr(args, name))
    if not 0 < getattr(args, "scale", 1.0) <= 1:
        refuse("--scale", "must be in (0, 1]", args.scale)
    return confirm(args) if command == "confirm" else scenario(args)


if __name__ == "__main__":
    run_main(main)
