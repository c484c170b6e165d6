"""The text and figure of the model-effects report, from its two tables (never from live runs).

Every sentence that states a result is made from the numbers it states: a difference is called a
cut or a rise only when its 95% interval excludes zero; otherwise the report says it is not
distinguishable from zero and gives the interval.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.cli import shown
from experiments.model_places import ALL, METRICS, SHORT, where_models_act
from experiments.report import fmt, markdown_table
from experiments.report_spec import ReportSpec
from sim.config import PLACE_MODELS
from sim.hydra_conf import SCENARIOS

PLACE_RULE = """\
A place's model is its kind of place, set when the world is built (`sim/world/cities.py`
`place_models`, `sim/world/hierarchy.py`), after the article's 分类化 (one model per kind of place:
`sim/world/data/README.md`, the article's figures): streets and residents' communities are **urban** and villages
take their banner's `primary_model` (`sim/world/data/hulunbuir_banners.csv`), except where the
article names a place's own model. **Mining**: every place of a banner whose primary model is mining
(Zalainuoer District, the coal-mining areas the article means), and the most urban town (most
communities), communities and villages, of each banner whose `types` list mining. **Border**: every
place of a banner whose primary model is border (Manzhouli, the border port; Ergun), and the frontier
third (at least one) of the sumu/xiang of each other banner whose `types` list border, in
division-code order: no geography of the border line is shipped, so which third is an assumption
(share 1/4-1/2, `FRONTIER_SHARE`). A model's places here are its grids (villages and communities),
so a town's urban communities count as urban."""


def _pct(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{x:+.1%}"


def _label(metric: str) -> str:
    return SHORT[metric]


def _value(metric: str, x: float) -> str:
    """A level: shares with three decimals, success and satisfaction with four (they sit near 1), others with two."""
    return fmt(x, {"grassroots_share": 3, "success_rate": 4, "satisfaction": 4}.get(metric, 2))


def reading(table: pd.DataFrame, governance: str) -> list[str]:
    """One bullet per model: the figures whose interval excludes zero, then the others."""
    out = []
    sub = table[table["governance"] == governance]
    for model in [m for m in [*PLACE_MODELS, ALL] if m in set(sub["model"])]:
        rows = sub[sub["model"] == model].set_index("metric").reindex(list(METRICS))
        said, unclear = [], []
        for metric, r in rows.iterrows():
            if not (math.isfinite(r.ci_low) and math.isfinite(r.ci_high)):
                unclear.append(f"{_label(metric)} (no interval: fewer than two paired seeds with a value)")
            elif r.ci_low > 0 or r.ci_high < 0:
                verb = "raise" if r.mean_diff > 0 else "lower"
                said.append(f"{verb} {_label(metric)} from {_value(metric, r.null_mean)} to {_value(metric, r['mean'])} "
                            f"({_pct(r.rel_diff)}, 95% CI {_pct(r.rel_low)} to {_pct(r.rel_high)})")
            else:
                unclear.append(f"{_label(metric)} (difference {fmt(r.mean_diff)}, 95% CI {fmt(r.ci_low)} to "
                               f"{fmt(r.ci_high)})")
        if governance == "classified":
            who = ("all places together, the six models' actors" if model == ALL else
                   f"**{model}** places, the {model} model's actors")
        else:
            who = f"{'all places together' if model == ALL else f'**{model}** places'}, {governance}"
        text = f"- In {who} (against the null) " + ("; ".join(said) if said else
                                                   "change no figure distinguishably from zero")
        if unclear:
            text += ". Not distinguishable from zero: " + "; ".join(unclear)
        out.append(text + ".")
    return out


def figure(table: pd.DataFrame, governance: str, path: Path) -> Path:
    """One panel per figure: relative difference (classified minus null) per model, 95% CI bars."""
    sub = table[table["governance"] == governance]
    models = [m for m in [*PLACE_MODELS, ALL] if m in set(sub["model"])]
    metrics = list(METRICS)
    cols = 3
    rows = math.ceil(len(metrics) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.4 * cols, 2.9 * rows + 0.7), squeeze=False)
    y = np.arange(len(models))
    for ax, metric in zip(axes.flat, metrics):
        m = sub[sub["metric"] == metric].set_index("model").reindex(models)
        mean = 100 * m["rel_diff"].to_numpy(float)
        err = np.nan_to_num(100 * np.vstack([m["rel_diff"] - m["rel_low"], m["rel_high"] - m["rel_diff"]]).astype(float))
        clear = ((m["ci_low"] > 0) | (m["ci_high"] < 0)).to_numpy()
        for j in range(len(models)):
            ax.errorbar(mean[j], y[j], xerr=err[:, j:j + 1], fmt="o", capsize=3,
                        color="tab:red" if clear[j] else "tab:grey")
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, models, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(METRICS[metric], fontsize=8)
        ax.set_xlabel("% of the null", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"{governance} minus null_model, each model in its own places (relative difference, 95% CI)",
                 fontsize=10)
    fig.text(0.5, 0.005, "Red: interval excludes zero. Paired by seed (common random numbers); Student t over seeds. "
             "Source: aggregate/model_effects.parquet", ha="center", va="bottom", fontsize=8, style="italic")
    fig.tight_layout(rect=(0, 0.03, 1, 0.96))
    fig.savefig(path, dpi=72)
    plt.close(fig)
    return path


def _places_table(per_place: pd.DataFrame, reference: str) -> str:
    ref = per_place[per_place["governance"] == reference]
    g = ref.groupby("model", sort=False).agg(seeds=("seed", "nunique"), residents=("residents", "mean"),
                                             townships=("townships", "mean"), disputes=("disputes", "mean"))
    g = g.reindex([m for m in [*PLACE_MODELS, ALL] if m in g.index]).reset_index()
    g["residents"] = g["residents"].round(-2)
    g = g.rename(columns={"seeds": "seeds with such places", "residents": "residents represented (mean)",
                          "townships": "townships sampled (mean)", "disputes": "disputes simulated per run (mean)"})
    return markdown_table(g)


def _effects_table(table: pd.DataFrame, governance: str) -> str:
    sub = table[table["governance"] == governance]
    rows = []
    for model in [m for m in [*PLACE_MODELS, ALL] if m in set(sub["model"])]:
        for metric, r in sub[sub["model"] == model].set_index("metric").reindex(list(METRICS)).iterrows():
            rows.append({"model": model, "figure": metric, "null": _value(metric, r.null_mean), governance: _value(metric, r["mean"]),
                         "difference [95% CI]": f"{fmt(r.mean_diff)} [{fmt(r.ci_low)}, {fmt(r.ci_high)}]",
                         "relative [95% CI]": f"{_pct(r.rel_diff)} [{_pct(r.rel_low)}, {_pct(r.rel_high)}]",
                         "seeds": int(r.n)})
    return markdown_table(pd.DataFrame(rows))


def report(root: Path, spec: ReportSpec, command: str, fixed: list[str], per_place: pd.DataFrame,
           table: pd.DataFrame) -> str:
    """The Markdown text of ``report.md``; draws the figure(s) into ``root``."""
    reference = spec.reference_hint
    others = [g for g in dict.fromkeys(per_place["governance"]) if g != reference]
    seeds = per_place.groupby("governance")["seed"].nunique()
    reps = f"{seeds.min()} replication{'s' if seeds.max() != 1 else ''}" if seeds.min() == seeds.max() else \
        f"{seeds.min()}-{seeds.max()} replications"
    exp_file = SCENARIOS / "experiment" / f"{spec.experiment}.yaml"
    null_file = SCENARIOS / "governance" / f"{reference}.yaml"
    lines = [f"# {spec.title}", "", spec.question, "",
             "## Command", "", "```bash", command, "```", "",
             "Regenerate this report (e.g. after a new calibration) with "
             "`python -m experiments.model_effects --jobs 2 --publish results/model_effects`.", "",
             "## Configuration", "",
             f"Experiment config `scenarios/experiment/{spec.experiment}.yaml`"
             + (f", with overrides `{' '.join(fixed)}`" if fixed else "") + ":", "", "```yaml",
             exp_file.read_text(encoding="utf-8").strip() if exp_file.exists() else "(not found)", "```", "",
             f"The null, `scenarios/governance/{reference}.yaml` (what it keeps and what it removes):", "", "```yaml",
             null_file.read_text(encoding="utf-8").strip() if null_file.exists() else "(not found)", "```", "",
             f"{per_place['run'].nunique()} runs ({1 + len(others)} governance settings, {reps} each); each run's "
             "full configuration is in `runs/<n>/.hydra/config.yaml`.", "",
             "## Where each model acts", "", PLACE_RULE, "",
             "Villages and communities of each model, by banner, in the runs' city (built as the runs built it):",
             "", markdown_table(where_models_act(Path(root) / per_place["run"].iloc[0])), "",
             "Each model's places in the runs (null arm; residents weighted to the city, so a model's places "
             "stand for that many of the city's residents):", "", _places_table(per_place, reference), "",
             "## How the figures are made", "",
             ("Per run, each model's places are its grids; counts come from `visits.parquet` through "
              "`sim.records.flow_counts` grouped by township and place model, conversions from `disputes.parquet` "
              "outcomes; each township's figures count `weight` times (its sampling weight), so a rate is the "
              "weighted count per 10,000 weighted residents. Days to settlement: created to closed, over disputes "
              "the system settled (outcome resolved, not settled by the parties before anyone found them). "
              "Grassroots share: settled in the grid (grid workers, neighbour heads, sentinels, the grid-police "
              "unit), at the village centre or by a mining community's enterprise mediator, over disputes that "
              "reached anyone. The difference is taken seed by seed (same seed: same townships, world and "
              "arrivals) and its 95% interval is Student t over the seeds; the relative difference divides the "
              "difference and its interval by the null's mean."), ""]
    lines += ["## Reading", ""]
    figs = []
    for g in others:
        lines += reading(table, g) + [""]
        figs.append(figure(table, g, root / (f"{spec.experiment}.png" if g == others[0]
                                              else f"{spec.experiment}_{g}.png")))
    lines += ["## Results", ""]
    for g, fig in zip(others, figs):
        lines += [f"![{g} minus {reference}]({fig.name})", "",
                  f"{g} minus {reference}, paired by seed (figures: {'; '.join(f'`{k}` {v}' for k, v in METRICS.items())}):",
                  "", _effects_table(table, g), ""]
    lines += ["## Files", "",
              ("In the sweep folder: `aggregate/model_places.parquet` (one row per run and place model), "
               "`aggregate/model_effects.parquet` (the table above), `aggregate/runs.parquet` (city-wide figures "
               f"per run), `runs/<n>/` (the run folders). Rebuild this report with "
               f"`python -m experiments.model_effects --from {shown(root)}`."), ""]
    return "\n".join(lines)
