"""The README's example figures, small, from saved experiment results (``results/examples/``).

``python -m experiments.examples`` after ``python -m experiments.staffing_whatif`` and
``python -m experiments.compare_models`` (reads their ``runs.parquet``; never re-runs anything).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from experiments.aggregate import ci_table, paired_differences, swept
from experiments.report import difference_figure, metric_grid
from experiments.sweep_report import _settings
from sim.hydra_conf import SCENARIOS

RESULTS = SCENARIOS.parent / "results"


def staffing(src: Path, out: Path) -> Path:
    runs = pd.read_parquet(src / "runs.parquet")
    runs, order = _settings(runs, swept(runs))
    metrics = ["wait_village", "police_incidents", "cost_per_resolved"]
    return metric_grid(ci_table(runs, ["setting"], metrics), order, metrics, out / "staffing_whatif.png",
                       f"Staffing what-if, stressed demo county, 180 days, {runs['seed'].nunique()} seeds",
                       "Mean and 95% CI across seeds (python -m experiments.staffing_whatif).")


def models(src: Path, out: Path) -> Path:
    runs = pd.read_parquet(src / "runs.parquet")
    runs, _ = _settings(runs, swept(runs))
    metrics = ["resolved_grid_share", "police_incidents", "criminal"]
    diffs = paired_differences(runs, "setting", "classified", metrics)
    return difference_figure(diffs, "setting", metrics, out / "compare_models.png",
                             "Each model everywhere minus classified, same county and arrivals",
                             f"Paired by seed (common random numbers), {runs['seed'].nunique()} seeds, 95% CI "
                             "(python -m experiments.compare_models).")


def main() -> None:
    out = RESULTS / "examples"
    out.mkdir(parents=True, exist_ok=True)
    for make, src in ((staffing, RESULTS / "staffing_whatif"), (models, RESULTS / "compare_models")):
        if (src / "runs.parquet").exists():
            print(make(src, out))
        else:
            print(f"skipped: {src} has no runs.parquet")


if __name__ == "__main__":
    main()
