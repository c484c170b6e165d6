"""Staffing what-if: backlog, waits, escalations, police, satisfaction and cost against staffing.

``python -m experiments.staffing_whatif [--jobs N] [overrides...]`` runs the Hydra multirun
``python -m sim -m +experiment=staffing_whatif`` (staffing presets x 5 seeds) into a fresh
``results/staffing_whatif/<date>_<time>/``, aggregates it and writes ``report.md`` there. Sweep
your own levels with Hydra's grammar, e.g.
``staffing=baseline_2022 staffing.grid_workers_per_grid=1,2,3.4,5`` (see :mod:`experiments.launch`
for ``--out``, ``--resume``, ``--from`` and ``--publish``).
"""

from experiments.cli import run_main
from experiments.report_spec import ReportSpec

SPEC = ReportSpec(
    experiment="staffing_whatif",
    title="Staffing what-if",
    question="What do fewer or more grid workers and mediators do to waits, backlogs, escalations, police "
             "call-outs, satisfaction and the cost per resolved dispute?",
    reference_hint="baseline",
    metrics=["wait_village", "wait_township", "backlog", "escalated_share", "police_incidents", "criminal",
             "litigated", "satisfaction", "cost_per_resolved"],
)


def main(argv: list[str]):
    from experiments.launch import main as launch

    return launch({"staffing_whatif": SPEC}, "staffing_whatif", "experiments.staffing_whatif", argv)


if __name__ == "__main__":
    run_main(main)
