"""``report.md`` for a sweep: figures, tables, the command and config, and a plain reading.

Built from the Parquet tables :func:`experiments.aggregate.aggregate` saved in the sweep folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from experiments.aggregate import METRICS, ci_table, paired_differences, read_tables, swept
from experiments.cli import shown
from experiments.report import (
    difference_figure,
    fmt,
    markdown_table,
    metric_grid,
    wide_ci,
    with_setting,
)
from experiments.report_spec import ReportSpec
from sim.hydra_conf import SCENARIOS

MECHANISM_COLUMNS = re.compile(r"^(detected_by_|resolved_)")


def pretty(value: str) -> str:
    """A readable setting: ``{Chen\\ Barag\\ Banner:urban,Manzhouli:urban}`` -> ``urban``; ``{}`` -> ``own``."""
    v = str(value).replace("\\ ", " ")
    if v.startswith("{"):
        models = re.findall(r":\s*([a-z_]+)", v)
        if not models:
            return "own models"
        return models[0] if len(set(models)) == 1 else ", ".join(models)
    return v


def _settings(runs: pd.DataFrame, keys: list[str]) -> tuple[pd.DataFrame, list[str]]:
    runs = runs.copy()
    for k in keys:  # a key set in some runs only (never within one sweep): its default elsewhere
        runs[k] = runs[k].map(lambda v: "default" if pd.isna(v) else pretty(v))
    runs = with_setting(runs, keys)
    order = list(dict.fromkeys(runs["setting"]))
    return runs, order


def write(root: Path, spec: ReportSpec, command: str, fixed: list[str]) -> Path:
    """Write ``root/report.md`` and its figures; return the report's path."""
    root = Path(root)
    tables = read_tables(root)
    runs, models, banners = tables["runs"], tables["models"], tables["banners"]
    keys = swept(runs)
    runs, order = _settings(runs, keys)
    reference = next((o for o in order if spec.reference_hint in o), order[0])
    replications = replications_text(runs)
    agg = ci_table(runs, ["setting"], spec.metrics)
    fig1 = metric_grid(agg, order, spec.metrics, root / f"{spec.experiment}.png",
                       f"{spec.title}: mean of {replications}, 95% CI",
                       "Error bars: Student t 95% CI across seeds. Source: aggregate/runs.parquet")
    diffs = paired_differences(runs, "setting", reference, spec.metrics)
    compared = len(order) > 1 and not diffs.empty  # one setting (replications only): nothing to pair
    if compared:
        fig2 = difference_figure(diffs, "setting", spec.metrics, root / f"{spec.experiment}_vs_reference.png",
                                 f"Difference from {reference}, seed by seed (common random numbers)",
                                 "Each point: mean of paired differences (same seed = same arrivals); bars: 95% CI.")
    lines = [f"# {spec.title}", "", spec.question, ""]
    lines += ["## Command", "", "```bash", command, "```", ""]
    exp_file = SCENARIOS / "experiment" / f"{spec.experiment}.yaml"
    lines += ["## Configuration", "",
              f"Experiment config `scenarios/experiment/{spec.experiment}.yaml`"
              + (f", with overrides `{' '.join(fixed)}`" if fixed else "") + ":", "", "```yaml",
              exp_file.read_text(encoding="utf-8").strip() if exp_file.exists() else "(not found)", "```", "",
              (f"{len(runs)} runs ({len(order)} settings, {replications} each); each run's full configuration "
               f"is in `runs/<n>/.hydra/config.yaml`. Settings swept: {', '.join(keys) or 'none'}."), ""]
    lines += ["## Reading", ""] + (_reading(agg, diffs, order, reference, spec.metrics) if compared else
                                   ["One setting only: the table gives its mean and 95% CI across replications."]) + [""]
    lines += ["## Results", "", f"![{spec.title}]({fig1.name})", "",
              "Mean [95% CI] across seeds:", "", markdown_table(wide_ci(agg, ["setting"], spec.metrics, order)), "",
              "Columns: " + "; ".join(f"`{m}` {METRICS.get(m, m)}" for m in spec.metrics) + ".", ""]
    if compared:
        lines += [f"![difference from {reference}]({fig2.name})", "",
                  f"Paired differences from **{reference}** (same seed, so the same county and arrivals):", ""]
        d = diffs.copy()
        d["difference [95% CI]"] = [f"{fmt(r.mean_diff)} [{fmt(r.ci_low)}, {fmt(r.ci_high)}]" for r in d.itertuples()]
        d["metric"] = d["metric"].map(lambda m: METRICS.get(m, m))
        lines += [markdown_table(d.pivot(index="setting", columns="metric", values="difference [95% CI]").reindex(
            [o for o in order if o != reference]).reset_index()), ""]
    if spec.mechanisms:
        lines += _mechanisms(runs, order)
    lines += _by_model(models, keys, order, root, spec)
    lines += _by_banner(banners, keys, order, spec)
    lines += ["## Files", "", ("In the sweep folder: `aggregate/runs.parquet` (one row per run), "
              "`aggregate/aggregate.parquet` (mean, sd, 95% CI per setting and figure), `aggregate/models.parquet` "
              "and `aggregate/banners.parquet` (per run and place model / banner), `runs/<n>/` (the run "
              f"folders). Rebuild the tables with `python -m experiments.aggregate {shown(root)}`."), ""]
    path = root / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def replications_text(runs: pd.DataFrame) -> str:
    """``5 replications`` (or ``3-5 replications`` when settings differ), counted from the runs."""
    counts = runs.groupby("setting", sort=False)["seed"].nunique()
    low, high = int(counts.min()), int(counts.max())
    return f"{low} replication{'s' * (high != 1)}" if low == high else f"{low}-{high} replications"


def _reading(agg: pd.DataFrame, diffs: pd.DataFrame, order: list[str], reference: str, metrics: list[str]) -> list[str]:
    """Plain-language sentences: each setting against the reference, where the CI excludes zero."""
    out = [f"Compared with **{reference}** on the same seeds (differences whose 95% CI excludes zero):", ""]
    ref = agg[agg["setting"] == reference].set_index("metric")
    for setting in order:
        if setting == reference:
            continue
        said = []
        for r in diffs[(diffs["setting"] == setting)].itertuples():
            if not (r.ci_low > 0 or r.ci_high < 0):
                continue
            base = ref.at[r.metric, "mean"] if r.metric in ref.index else float("nan")
            word = "more" if r.mean_diff > 0 else "less"
            said.append(f"{METRICS.get(r.metric, r.metric)} {fmt(base)} -> {fmt(base + r.mean_diff)} "
                        f"({word}: {fmt(r.mean_diff)} [{fmt(r.ci_low)}, {fmt(r.ci_high)}])")
        out.append(f"- **{setting}**: " + ("; ".join(said) if said else "no difference distinguishable from "
                                           "noise at this number of replications") + ".")
    return out


def _mechanisms(runs: pd.DataFrame, order: list[str]) -> list[str]:
    cols = [c for c in runs.columns if MECHANISM_COLUMNS.match(c) and c != "resolved_grid_share"]
    mean = runs.groupby("setting", sort=False)[cols].mean().reindex(order).fillna(0.0)
    mean = mean.loc[:, (mean != 0).any()]
    table = mean.round(1).reset_index()
    return ["## Mechanisms in play", "",
            ("Mean disputes per run by who detected them (`detected_by`, disputes.parquet) and where resolved "
             "ones were settled (`resolved_tier`): the models differ in who acts, not only in how well."), "",
            markdown_table(table), ""]


def _by_model(models: pd.DataFrame, keys: list[str], order: list[str], root: Path, spec: ReportSpec) -> list[str]:
    if models.empty or models["model"].nunique() < 2:
        return []
    models, _ = _settings(models, keys)
    metrics = ["wait_mediated", "escalated_share", "resolved_grid_share"]
    agg = ci_table(models, ["setting", "model"], metrics)
    fig = metric_grid(agg, order, metrics, root / f"{spec.experiment}_by_model.png",
                      "By place model (disputes.parquet `model`): mean and 95% CI",
                      "wait_mediated: mean queue wait of mediated disputes (days); shares of disputes created.",
                      hue="model")
    labels = {"wait_mediated": "mean wait of mediated disputes (days)"}
    table = wide_ci(agg, ["setting", "model"], metrics).rename(columns=lambda c: labels.get(c, METRICS.get(c, c)))
    return ["## By place model", "", f"![by model]({fig.name})", "", markdown_table(table), ""]


def _by_banner(banners: pd.DataFrame, keys: list[str], order: list[str], spec: ReportSpec) -> list[str]:
    if banners.empty:
        return []
    chosen = spec.banners or (list(dict.fromkeys(banners["banner"])) if banners["banner"].nunique() > 1 else [])
    if not chosen:
        return []
    b = banners[banners["banner"].isin(chosen)]
    b, _ = _settings(b, keys)
    b = b.assign(escalated_share=b["escalations"] / b["created"].clip(lower=1),
                 police_share=b["police_incidents"] / b["created"].clip(lower=1))
    metrics = ["mean_wait_days", "police_share", "escalated_share", "satisfaction", "cost_per_resolved"]
    agg = ci_table(b, ["banner", "setting"], metrics)
    table = wide_ci(agg, ["banner", "setting"], metrics).rename(columns={
        "mean_wait_days": "mean wait, mediated (days)", "police_share": "police call-outs per dispute",
        "escalated_share": "tier climbs per dispute", "cost_per_resolved": "cost per resolved (yuan)"})
    return ["## By banner", "", "From each run's banners.parquet, mean [95% CI] across seeds:", "",
            markdown_table(table), ""]
