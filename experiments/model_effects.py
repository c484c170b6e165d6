"""Each classified governance model against its null, in its own kind of place (issue 14, item 4).

``python -m experiments.model_effects [--jobs N] [overrides...]`` runs the Hydra multirun
``python -m sim -m +experiment=model_effects`` (the real city under ``governance=classified`` and
``governance=null_model``, same seeds) into a fresh ``results/model_effects/<date>_<time>/`` and
writes ``report.md`` there: for each model, in the places whose model it is, the paired difference
classified minus null (seed by seed: common random numbers) with its 95% Student t interval over
seeds, and the relative difference. ``--publish results/model_effects`` regenerates the committed
report; ``--from DIR`` re-reports a sweep (see :mod:`experiments.launch`).

Tables written into the sweep's ``aggregate/``: ``model_places.parquet`` (one row per run and
model: :mod:`experiments.model_places`) and ``model_effects.parquet`` (one row per model and figure).
"""

from __future__ import annotations

from pathlib import Path

from experiments.cli import run_main
from experiments.report_spec import ReportSpec

NULL = "null_model"
SPEC = ReportSpec(
    experiment="model_effects",
    title="Governance models against their null, each in its own places",
    question="What do each classified model's own actors (neighbour heads, police grid, enterprise mediators, "
             "mounted police, police village officials, joint forestry teams, online mediation) change in the "
             "places whose model it is, compared with the same 2022 reform without them?",
    reference_hint=NULL,
    metrics=[],
)


def collect_places(root: Path):
    """One row per run and place model (:func:`experiments.model_places.model_rows`), with the
    run's swept settings; runs are those :func:`experiments.aggregate.collect` found usable."""
    import pandas as pd

    from experiments.aggregate import read_tables
    from experiments.model_places import model_rows, places
    from sim.results import read_run

    runs = read_tables(root)["runs"]
    settings = [c for c in ("governance", "seed") if c in runs.columns]
    cache: dict[str, tuple] = {}  # the same seed and city: the same places, whatever the governance
    rows = []
    for run in runs.itertuples():
        r = read_run(Path(root) / run.run)
        key = repr((r.summary["seed"], r.summary["scale"], r.summary["city"], r.summary.get("sample", {}).get("townships")))
        if key not in cache:
            cache[key] = places(r.run_dir, r.summary)
        base = {"run": run.run, **{k: getattr(run, k) for k in settings}}
        rows += [{**base, **row} for row in model_rows(r, *cache[key])]
    return pd.DataFrame(rows)


def effects(per_place, reference: str = NULL):
    """Every other governance minus ``reference``, per model and figure, seed by seed.

    Returns:
        One row per governance, model and figure: ``n`` (paired seeds), ``null_mean``,
        ``mean`` (the other governance), ``mean_diff, ci_low, ci_high`` (Student t 95% over the
        paired differences) and ``rel_diff, rel_low, rel_high`` (the same divided by the null's
        mean over those seeds: its own uncertainty is not carried).
    """
    import numpy as np
    import pandas as pd

    from experiments.aggregate import paired_differences
    from experiments.model_places import METRICS

    metrics = list(METRICS)
    if reference not in set(per_place["governance"]):
        from experiments.cli import refuse

        refuse("governance", f"the sweep holds no {reference} runs to compare with", sorted(set(per_place["governance"])))
    diffs = paired_differences(per_place, "governance", reference, metrics, extra=["model"])
    ref = per_place[per_place["governance"] == reference].set_index(["seed", "model"])
    rows = []
    for r in diffs.itertuples():
        other = per_place[per_place["governance"] == r.governance].set_index(["seed", "model"])
        common = other.index.intersection(ref.index)
        common = common[common.get_level_values("model") == r.model]
        null_mean = float(ref.loc[common, r.metric].mean())
        scale = null_mean if null_mean else np.nan
        rows.append({"governance": r.governance, "model": r.model, "metric": r.metric, "n": r.n,
                     "null_mean": null_mean, "mean": float(other.loc[common, r.metric].mean()),
                     "mean_diff": r.mean_diff, "ci_low": r.ci_low, "ci_high": r.ci_high,
                     "rel_diff": r.mean_diff / scale, "rel_low": r.ci_low / scale, "rel_high": r.ci_high / scale})
    return pd.DataFrame(rows)


def write(root: Path, spec: ReportSpec, command: str, fixed: list[str]) -> Path:
    """Write ``root/report.md``, its figure and the two tables (module doc); return the report."""
    from experiments.model_effects_report import report

    root = Path(root)
    per_place = collect_places(root)
    table = effects(per_place)
    out = root / "aggregate"
    per_place.to_parquet(out / "model_places.parquet", index=False)
    table.to_parquet(out / "model_effects.parquet", index=False)
    path = root / "report.md"
    path.write_text(report(root, spec, command, fixed, per_place, table), encoding="utf-8")
    return path


def main(argv: list[str]):
    from experiments.launch import main as launch

    return launch({"model_effects": SPEC}, "model_effects", "experiments.model_effects", argv, writer=write)


if __name__ == "__main__":
    run_main(main)
