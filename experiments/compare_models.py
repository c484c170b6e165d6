"""Compare governance models on the same county with common random numbers.

``python -m experiments.compare_models [--jobs N] [overrides...]`` runs
``scenarios/experiment/compare_models.yaml`` (every model applied to the whole synthetic county,
plus classified and pre_reform, x 5 seeds), aggregates it and writes
``results/compare_models/report.md`` with paired differences from ``classified``.
``--experiment compare_banners`` switches two chosen Hulunbuir banners instead.
"""

from experiments.cli import main
from experiments.sweep_report import ReportSpec

SPEC = ReportSpec(
    experiment="compare_models",
    title="Governance models compared",
    question="Does one governance model settle disputes lower, faster and with fewer police call-outs and "
             "criminal cases than another on the same county, and by how much, with what uncertainty?",
    reference_hint="classified",
    metrics=["resolved_grid_share", "escalated_share", "wait_village", "police_incidents", "criminal",
             "litigated", "pending", "satisfaction", "cost_per_resolved"],
    mechanisms=True,
)
BANNERS = ["Chen Barag Banner", "Manzhouli"]  # the banners compare_banners.yaml switches

if __name__ == "__main__":
    import sys

    if "compare_banners" in sys.argv:
        SPEC.banners = BANNERS
        SPEC.reference_hint = "own"
    main(SPEC, "experiments.compare_models")
