"""The allocation study's report: a map of the recommended allocation and prose from the numbers.

Every sentence that states a result is built from the tables the study wrote (``gains``,
``allocation``, ``runs``), so the report cannot say more than the runs show.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pandas as pd

MEASURE_TEXT = {
    "objective": "the objective",
    "callouts_per_10k": "police call-outs per 10,000 residents a year",
    "conversions_per_10k": "civil-to-criminal conversions (民转刑) per 10,000 residents a year",
    "settlement_days": "mean days from a dispute's start to its settlement",
}


def objective_text(weights: dict[str, float]) -> str:
    parts = [(f"{w:g} x " if w != 1 else "") + MEASURE_TEXT[k] for k, w in weights.items()]
    return " + ".join(parts)


def verdict(row: pd.Series, unit: str = "") -> str:
    """One clause on a paired gain: which way the 95% CI lies, with the numbers."""
    ci = f"{row['gain']:+.4g}{unit} [{row['ci_low']:+.4g}, {row['ci_high']:+.4g}]"
    if not np.isfinite(row["ci_low"]):
        return f"{ci} (too few seeds for an interval)"
    if row["ci_low"] > 0:
        return f"lower by {ci}: better, the 95% CI excludes zero"
    if row["ci_high"] < 0:
        return f"higher by {-row['gain']:.4g}{unit} (gain {ci}): worse, the 95% CI excludes zero"
    return f"gain {ci}: not distinguishable from no difference at this many seeds"


def draw_map(out: Path, table: pd.DataFrame, label: str) -> Path:
    from sim.viz.maps import SOURCE, banner_outlines, panel_figure

    outlines = banner_outlines()
    t = table.set_index("code")
    panels = [
        {"values": t["extra recommended"].astype(float), "title": f"Extra {label} (recommended)",
         "label": "people", "cmap": "Blues", "fmt": "{:.0f}"},
        {"values": t["per 10k recommended"], "title": "... per 10,000 residents", "label": "people per 10,000",
         "cmap": "Blues", "fmt": "{:.2g}"},
        {"values": t["extra proportional to population"].astype(float) - t["extra recommended"].astype(float),
         "title": "Proportional minus recommended", "label": "people", "diverging": True, "fmt": "{:+.0f}"},
    ]
    fig = panel_figure(outlines, panels, f"Where the next {label} should go",
                       f"Planned extra people per banner (the runs' realised counts are in allocation.csv). {SOURCE}.")
    path = out / "allocation.png"
    fig.savefig(path)
    return path


def write_report(out: Path, settings, study, table: pd.DataFrame, gain: pd.DataFrame, runs: pd.DataFrame,
                 trials: pd.DataFrame, every: pd.DataFrame, command: str, seconds: float) -> Path:
    """Write ``report.md`` (and ``allocation.png``) in ``out``; return its path.

    ``runs`` are the confirmation runs, ``every`` all the runs the study rested on.
    """
    kind = study.kind
    runs_s = float(every["runtime_s"].sum())
    draw_map(out, table, kind.label)
    g = gain.set_index(["versus", "measure"])
    means = runs.groupby("allocation")[["objective", "callouts_per_10k", "conversions_per_10k",
                                        "settlement_days"]].mean()
    spent = int(table["extra recommended"].sum())
    top = table.sort_values("extra recommended", ascending=False).head(3)
    top_text = ", ".join(f"{b} ({int(x)})" for b, x in zip(top["banner"], top["extra recommended"]) if x > 0)
    budget = (f"{settings.people:,} extra {kind.label}" + (f" ({settings.yuan:,.0f} yuan a year at "
              f"staffing.costs)" if settings.yuan else ""))
    lines = [
        f"# Where the next staff should go: {budget}",
        "",
        f"Question: across Hulunbuir's 14 banners, where do {budget} lower {objective_text(settings.objective)} "
        "most, against today's staffing and against the two naive allocations?",
        "",
        f"Command: `{command}`  ",
        f"Scenario overrides: `{' '.join(settings.overrides) or '(calibrated defaults)'}`; scale {settings.scale:g}, "
        f"{settings.days} days a run. Code: `{_git()}`. The runs took {runs_s / 60:.1f} min of simulation "
        f"({len(every)} runs, {runs_s / max(len(every), 1):.1f} s each on average, summed over processes); "
        f"this command {seconds / 60:.1f} min.",
        "",
        "## Answer",
        "",
        f"The recommended allocation puts {spent:,} of the {settings.people:,} {kind.label} in: {top_text or 'no banner'}"
        " (the three largest shares; all 14 below).",
        "",
    ]
    for other in ("baseline", "spread evenly", "proportional to population"):
        if (other, "objective") not in g.index:
            continue
        row = g.loc[(other, "objective")]
        lines.append(f"- Against **{other}**: the objective is {row['other_mean']:.4g} there and "
                     f"{row['recommended_mean']:.4g} with the recommendation; {verdict(row)} "
                     f"(paired t, {int(row['n'])} seeds).")
    objective_rows = gain[gain["measure"] == "objective"]
    if len(objective_rows) and not ((objective_rows["ci_low"] > 0) | (objective_rows["ci_high"] < 0)).any():
        lines += ["", f"So no allocation is distinguishable from the others on the objective at {settings.confirm_seeds} "
                  "seeds: at this setting these staff do not measurably change it (more `--confirm-seeds` narrow "
                  "the intervals; a longer `--days` lets effects build up)."]
    elif (objective_rows["ci_low"] > 0).all():
        lines += ["", "The recommendation beats all three on the objective (every 95% CI above zero)."]
    excluding = int(((gain["ci_low"] > 0) | (gain["ci_high"] < 0)).sum())
    lines += [
        "",
        f"Of the {len(gain)} intervals in the table below, {excluding} {'excludes' if excluding == 1 else 'exclude'} zero; about "
        f"{0.05 * len(gain):.1f} would by chance alone at 95% if nothing differed, so read a single one with care.",
    ]
    lines += [
        "",
        "Gains are paired by seed (common random numbers: a seed gives every allocation the same city and "
        "the same random streams, so the same disputes arise until staffing feeds back into residents' "
        "tension) on confirmation seeds the search never saw, so the search's luck does not inflate them. "
        "Positive gain: the recommendation is lower (better).",
        "",
        "![allocation map](allocation.png)",
        "",
        "## Every measure, mean over the confirmation seeds",
        "",
        "| allocation | objective | call-outs /10k/yr | conversions /10k/yr | days to settlement |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, r in means.iterrows():
        lines.append(f"| {name} | {r['objective']:.4g} | {r['callouts_per_10k']:.4g} | "
                     f"{r['conversions_per_10k']:.4g} | {r['settlement_days']:.4g} |")
    lines += ["", "Gains of the recommendation (other minus recommended; 95% paired t CI):", "",
              "| versus | measure | gain | 95% CI |", "| --- | --- | ---: | --- |"]
    for (other, measure), r in g.iterrows():
        lines.append(f"| {other} | {measure} | {r['gain']:+.3g} | [{r['ci_low']:+.3g}, {r['ci_high']:+.3g}] |")
    real = table["realised recommended"].sum()
    off = table[(table["realised recommended"] - table["extra recommended"]).abs()
                > np.maximum(0.1 * table["extra recommended"], 2.0)]
    lines += [
        "",
        "## The allocation by banner",
        "",
        f"Planned extra people, and what the runs really added (the model rounds staff to whole people per "
        f"grid, centre or post): {real:,.0f} realised of {spent:,} planned for the recommendation.",
    ]
    if len(off):
        lines += [
            "",
            f"**Caution:** in {len(off)} of 14 banners the runs added more than 10% (and 2 people) more or fewer "
            f"than planned ({', '.join(f'{b}: {p:+,} planned, {r:+,.0f} realised' for b, p, r in zip(off['banner'], off['extra recommended'], off['realised recommended']))}). "
            "The gains above are those of the staffing the runs really had, so they are honest about the runs, "
            "but the planned numbers are not what the model simulated. (For grid workers the model apportions "
            "the city's total over grids by largest remainder with ties to the earlier grid: a banner's small "
            "factor lifts every grid of it over the others' remainders.)",
        ]
    lines += [
        "",
        "| banner | residents | today (planned) | today (simulated) | recommended | realised | evenly | proportional |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for _, row in table.iterrows():
        lines.append(f"| {row['banner']} | {row['population']:,.0f} | {row['base']:,.0f} | {row['today']:,.0f} | "
                     f"{row['extra recommended']:,} | {row['realised recommended']:,.0f} | "
                     f"{row['extra spread evenly']:,} | {row['extra proportional to population']:,} |")
    best_search = trials["objective"].min()
    lines += [
        "",
        "## How it was found",
        "",
        f"- Search: optuna's TPE sampler (seed {settings.sampler_seed}) over a weight per banner, "
        f"{len(trials)} allocations on {settings.search_seeds} seed(s) each "
        f"(seeds {_seeds(0, settings.search_seeds)}); the first two were the naive allocations. "
        f"Best search value {best_search:.4g} (its confirmation mean: {means.loc['recommended', 'objective']:.4g}).",
        f"- Confirmation: baseline, both naive allocations and the recommendation on "
        f"{settings.confirm_seeds} fresh seeds ({_seeds(1000, settings.confirm_seeds)}).",
        f"- {len(every)} runs in all (`runs.csv` lists each run folder); "
        "tables: `allocation`, `gains`, `runs`, `trials` as Parquet, CSV and sheets of `allocate.xlsx`.",
        "- An allocation is expressed as `staffing.by_banner.<banner>.<factor>` multipliers; kinds with whole "
        "people per centre or post move in steps of one person per centre of the banner.",
        "",
    ]
    path = out / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _seeds(first: int, n: int) -> str:
    return f"{first}" if n == 1 else f"{first}-{first + n - 1}"


def _git() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
