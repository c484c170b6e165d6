"""Compare governance models on the same county with common random numbers.

``python -m experiments.compare_models [--jobs N] [overrides...]`` runs the Hydra multirun
``python -m sim -m +experiment=compare_models`` (every model applied to the whole synthetic county,
plus classified and pre_reform, x 5 seeds) into a fresh ``results/compare_models/<date>_<time>/``,
aggregates it and writes ``report.md`` there with paired differences from ``classified``.
``--experiment compare_banners`` switches two chosen Hulunbuir banners instead; ``--from DIR``
reports a sweep already made (see :mod:`experiments.launch` for ``--out``, ``--resume``, ``--publish``).
"""

from experiments.cli import run_main
from experiments.report_spec import ReportSpec

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
BANNER_SPEC = ReportSpec(**{**SPEC.__dict__, "experiment": "compare_banners", "reference_hint": "own",
                            "banners": BANNERS})
SPECS = {"compare_models": SPEC, "compare_banners": BANNER_SPEC}


def main(argv: list[str]):
    from experiments.launch import main as launch

    return launch(SPECS, "compare_models", "experiments.compare_models", argv)


if __name__ == "__main__":
    run_main(main)
