"""Staffing what-if: backlog, waits, escalations, police, satisfaction and cost against staffing.

``python -m experiments.staffing_whatif [--jobs N] [overrides...]`` runs the sweep of
``scenarios/experiment/staffing_whatif.yaml`` (staffing presets x 5 seeds), aggregates it and
writes ``results/staffing_whatif/report.md``. Sweep your own levels with Hydra's grammar, e.g.
``staffing=baseline_2022 staffing.grid_workers_per_grid=1,2,3.4,5``.
"""

from experiments.cli import main
from experiments.sweep_report import ReportSpec

SPEC = ReportSpec(
    experiment="staffing_whatif",
    title="Staffing what-if",
    question="What do fewer or more grid workers and mediators do to waits, backlogs, escalations, police "
             "call-outs, satisfaction and the cost per resolved dispute?",
    reference_hint="baseline",
    metrics=["wait_village", "wait_township", "backlog", "escalated_share", "police_incidents", "criminal",
             "litigated", "satisfaction", "cost_per_resolved"],
)

if __name__ == "__main__":
    main(SPEC, "experiments.staffing_whatif")
