"""The README's example figures, small, from two finished experiment sweeps.

``python -m experiments.examples --staffing SWEEP_DIR --models SWEEP_DIR`` reads the sweeps'
``aggregate/runs.parquet`` (made by ``python -m experiments.staffing_whatif`` and
``python -m experiments.compare_models``; never re-runs anything) and writes
``staffing_whatif.png`` and ``compare_models.png`` into a fresh ``results/examples-new/<date>_<time>/``
(or ``--out DIR``); ``--publish results/examples`` also copies them over the committed figures.
"""

from __future__ import annotations

from pathlib import Path

from experiments.cli import Parser, output_folder, publish, refuse, run_main


def staffing(src: Path, out: Path) -> Path:
    from experiments.aggregate import ci_table, read_tables, swept
    from experiments.report import metric_grid
    from experiments.sweep_report import _settings, replications_text

    runs = read_tables(src)["runs"]
    runs, order = _settings(runs, swept(runs))
    metrics = ["wait_village", "police_incidents", "cost_per_resolved"]
    return metric_grid(ci_table(runs, ["setting"], metrics), order, metrics, out / "staffing_whatif.png",
                       f"Staffing what-if, stressed demo county, {replications_text(runs)}",
                       "Mean and 95% CI across seeds (python -m experiments.staffing_whatif).")


def models(src: Path, out: Path) -> Path:
    from experiments.aggregate import paired_differences, read_tables, swept
    from experiments.report import difference_figure
    from experiments.sweep_report import _settings, replications_text

    runs = read_tables(src)["runs"]
    runs, order = _settings(runs, swept(runs))
    if "classified" not in order:
        refuse("--models", "is not a compare_models sweep (no 'classified' setting to compare with)", str(src))
    metrics = ["resolved_grid_share", "police_incidents", "criminal"]
    diffs = paired_differences(runs, "setting", "classified", metrics)
    return difference_figure(diffs, "setting", metrics, out / "compare_models.png",
                             "Each model everywhere minus classified, same county and arrivals",
                             f"Paired by seed (common random numbers), {replications_text(runs)}, 95% CI "
                             "(python -m experiments.compare_models).")


def main(argv: list[str]) -> list[Path]:
    parser = Parser(prog="python -m experiments.examples", description=__doc__.splitlines()[0])
    parser.add_argument("--staffing", metavar="SWEEP_DIR", help="a staffing_whatif sweep folder")
    parser.add_argument("--models", metavar="SWEEP_DIR", help="a compare_models sweep folder")
    parser.add_argument("--out", help="folder for the figures (new or empty; default results/examples-new/<date>_<time>)")
    parser.add_argument("--publish", metavar="DIR", help="also copy the figures into DIR (e.g. results/examples)")
    args = parser.parse_args(argv)
    if not (args.staffing or args.models):
        refuse("command line", "name at least one sweep: --staffing SWEEP_DIR and/or --models SWEEP_DIR")
    for key, src in (("--staffing", args.staffing), ("--models", args.models)):
        if src and not (Path(src) / "aggregate" / "runs.parquet").is_file():
            refuse(key, "not an aggregated sweep folder (no aggregate/runs.parquet)", src)
    out = output_folder(args.out, "--out", Path("results") / "examples-new")
    made = []
    if args.staffing:
        made.append(staffing(Path(args.staffing), out))
    if args.models:
        made.append(models(Path(args.models), out))
    for path in made:
        print(path)
    if args.publish:
        for copy in publish(made, args.publish):
            print(f"published: {copy}")
    return made


if __name__ == "__main__":
    run_main(main)
