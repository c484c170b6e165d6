"""Run an experiment's sweep the one way there is, Hydra's multirun, then aggregate and report.

An experiment is a Hydra config under ``scenarios/experiment/`` (``# @package _global_``) holding
scenario overrides and ``hydra.sweeper.params``. Its sweep is always
``python -m sim -m +experiment=NAME [overrides...]``: the same task, launcher, resume rule
(a job whose folder holds a whole finished run of the same configuration fingerprint is
skipped: :mod:`sim.sweep_progress`) and run folders, whoever starts it. The experiment commands
(``python -m experiments.staffing_whatif`` ...) start it in-process with a folder of their own
and then write the report:

- without ``--out``: a fresh folder ``results/<experiment>/<date>_<time>/`` per invocation, so
  one command's report never mixes in another's runs;
- ``--out DIR``: a new or empty folder; ``--resume`` finishes a sweep in ``DIR`` (or, without
  ``--out``, the latest sweep of the same experiment and overrides) after an interruption;
- ``--from DIR``: no runs, the report of a sweep already made, e.g. by
  ``python -m sim -m +experiment=NAME hydra.sweep.dir=DIR``;
- ``--jobs N``: Hydra's joblib launcher with N processes (``hydra/launcher=parallel``);
- ``--publish DIR``: also copy the finished report and its figures to ``DIR`` (the one way to
  regenerate a committed report such as ``results/staffing_whatif/report.md``).

Common random numbers: every job with the same ``seed`` shares its world and its dispute
arrivals (sim.model spawns separate world/arrivals/behaviour/service streams from the seed),
so scenarios compared seed by seed differ by their mechanisms, not by their luck.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from experiments.cli import (
    BadInput,
    Parser,
    jobs_argument,
    on_interrupt,
    output_folder,
    publish,
    refuse,
    shown,
)

MANIFEST = "sweep.json"


def scenarios() -> Path:
    from sim.hydra_conf import SCENARIOS

    return SCENARIOS


def experiment_names() -> list[str]:
    return sorted(p.stem for p in (scenarios() / "experiment").glob("*.yaml"))


def check_experiment(name: str) -> str:
    """An experiment's name (a file under ``scenarios/experiment/``; names, not paths)."""
    if name not in experiment_names():
        refuse("--experiment", f"unknown experiment (choose from {', '.join(experiment_names())})", name)
    return name


def hydra_quote(value: str) -> str:
    """A path as one Hydra override value (quoted: spaces, commas and brackets stay literal)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def multirun(experiment: str, overrides: list[str], sweep_dir: Path, jobs: int = 1) -> None:
    """``python -m sim -m +experiment=NAME hydra.sweep.dir=DIR [launcher] overrides``, in-process.

    A refused override or a failed job has been reported in one line by the sim CLI; this
    raises ``SystemExit`` with its status.
    """
    from sim.__main__ import main as sim_main
    from sim.cli import cli

    launcher = [] if jobs == 1 else ["hydra/launcher=parallel", f"hydra.launcher.n_jobs={jobs}"]
    argv = ["-m", f"+experiment={experiment}", f"hydra.sweep.dir={hydra_quote(str(sweep_dir))}",
            *launcher, *overrides]
    saved = sys.argv
    sys.argv = ["python -m sim", *argv]  # Hydra's main reads the command line
    try:
        cli(sim_main, argv)
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            raise
    finally:
        sys.argv = saved


def preflight(experiment: str, overrides: list[str]) -> int:
    """Compose and check the sweep's jobs before anything is written; the number of jobs.

    A bad key, value or override is refused here in one line (as ``python -m sim`` words it),
    not once per job after a folder has been made. Checked: the first job, and each value the
    command line sweeps (the others at their first value); composing is ~0.5 s a job, and the
    experiment files' own sweeps are checked by the tests.

    Raises:
        BadInput: the first job whose configuration is refused.
    """
    from hydra import compose, initialize_config_dir
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from experiments.runs import expand
    from sim.cli import explain
    from sim.errors import ShouwangError
    from sim.hydra_conf import to_config

    try:
        parsed = OverridesParser.create().parse_overrides(list(overrides))
        fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
        with initialize_config_dir(version_base="1.3", config_dir=str(scenarios()), job_name=experiment):
            first = compose(config_name="config", overrides=[f"+experiment={experiment}", *fixed],
                            return_hydra_config=True)
            params = OmegaConf.to_container(first.hydra.sweeper.params or OmegaConf.create({}))
            lines = [f"+experiment={experiment}", *(f"{k}={v}" for k, v in params.items()), *overrides]
            jobs = expand(lines)
            base = dict(o.split("=", 1) for o in jobs[0])
            checks = [jobs[0]] + [[f"{k}={v}" for k, v in {**base, o.get_key_element(): value}.items()]
                                  for o in parsed if o.is_sweep_override()
                                  for value in list(o.sweep_string_iterator())[1:]]
            for job in checks:
                to_config(compose(config_name="config", overrides=job))
    except ShouwangError as exc:
        raise BadInput(str(exc).splitlines()[0]) from None
    except (HydraException, OmegaConfBaseException) as exc:
        raise BadInput(explain(exc, list(overrides))[0]) from None
    return len(jobs)


def _manifest(root: Path) -> dict:
    try:
        return json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def latest_sweep(experiment: str, overrides: list[str]) -> Path:
    """The newest sweep folder of this experiment made with these overrides (for ``--resume``)."""
    parent = Path("results") / experiment
    found = [p.parent for p in parent.glob(f"*/{MANIFEST}")
             if _manifest(p.parent).get("overrides") == overrides and _manifest(p.parent).get("experiment") == experiment]
    if not found:
        refuse("--resume", f"no earlier sweep of {experiment} with these overrides under {parent}/ "
               "(name one with --out DIR)")
    return max(found, key=lambda p: p.name)


def check_overrides(overrides: list[str]) -> None:
    for o in overrides:
        name = o.lstrip("+~").partition("=")[0]
        if name in ("hydra.sweep.dir", "hydra.sweep.subdir", "hydra.run.dir"):
            refuse(name, "the experiment commands choose the sweep folder: use --out DIR", o)


def main(specs: dict, default: str, prog: str, argv: list[str], writer=None) -> Path:
    """``python -m experiments.<name>``: run (or ``--from`` read) a sweep, aggregate, report.

    Args:
        specs: the report of each experiment this command knows (experiment name -> ReportSpec);
            another experiment file is reported with the ``default`` one's spec.
        default: the experiment run when ``--experiment`` is not given.
        prog: the module, for ``--help`` and the command recorded in the report.
        argv: the command line after the module.
        writer: writes the report, ``writer(root, spec, command, overrides) -> path`` (default
            :func:`experiments.sweep_report.write`).

    Returns:
        The report's path.
    """
    parser = Parser(prog=f"python -m {prog}", description=specs[default].question,
                    epilog="Overrides use Hydra's grammar; a,b or range(a,b) sweeps a key. The runs are "
                           f"python -m sim -m +experiment=NAME ...; see {prog.replace('.', '/')}.py.")
    parser.add_argument("--experiment", default=default, help=f"config under scenarios/experiment/ (default {default})")
    parser.add_argument("--out", help="the sweep folder (new or empty; default results/<experiment>/<date>_<time>)")
    parser.add_argument("--resume", action="store_true",
                        help="finish the sweep in --out (default: the latest one of these overrides)")
    parser.add_argument("--from", dest="source", metavar="SWEEP_DIR",
                        help="run nothing: report the sweep already in SWEEP_DIR")
    parser.add_argument("--jobs", type=jobs_argument, default=1, help="processes (joblib launcher); -1: all cores")
    parser.add_argument("--publish", metavar="DIR", help="also copy report.md and its figures into DIR")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides, e.g. seed='range(0,3)' days=90")
    args = parser.parse_args(argv)
    from experiments.aggregate import aggregate, report_skipped
    from experiments.report_spec import ReportSpec
    from experiments.sweep_report import write

    write = writer or write
    experiment = check_experiment(args.experiment)
    spec: ReportSpec = specs.get(experiment) or ReportSpec(**{**specs[default].__dict__, "experiment": experiment})
    check_overrides(args.overrides)
    if args.publish and Path(args.publish).exists() and not Path(args.publish).is_dir():
        refuse("--publish", "is a file, not a folder", args.publish)
    command = command_line(prog, argv)
    if args.source:
        if args.out or args.resume or args.overrides:
            refuse("--from", "reads a finished sweep: give no --out, --resume or overrides with it", args.source)
        root = Path(args.source)
        if not root.is_dir():
            refuse("--from", "no such folder" if not root.exists() else "is a file, not a folder", args.source)
        swept = _manifest(root).get("experiment") or _multirun_experiment(root)
        if swept not in (None, experiment):
            refuse("--from", f"is a sweep of experiment {swept!r}, not {experiment!r} (add --experiment {swept})",
                   args.source)
        made = _manifest(root).get("command") or _multirun_command(root) or command
    else:
        n_jobs = preflight(experiment, args.overrides)
        if args.resume and args.out is None:
            root = latest_sweep(experiment, args.overrides)
        else:
            root = output_folder(args.out, "--out", Path("results") / experiment, resume=args.resume)
        old = _manifest(root)
        if args.resume and old and (old.get("experiment"), old.get("overrides")) != (experiment, args.overrides):
            refuse("--resume", f"{shown(root)} holds a sweep of another command ({old.get('command')}); "
                   "resume with the same experiment and overrides", command)
        (root / MANIFEST).write_text(json.dumps({"experiment": experiment, "overrides": args.overrides,
                                                 "command": command.strip()}, indent=2) + "\n")
        on_interrupt(f"the sweep in {shown(root)} is unfinished; finish it with: python -m {prog} --resume "
                     f"--out {shlex.quote(str(root))} " + " ".join(shlex.quote(a) for a in args.overrides))
        print(f"{experiment}: {n_jobs} runs into {root}", flush=True)
        multirun(experiment, args.overrides, root, args.jobs)
        made = command
    on_interrupt("stopped while writing the report; the runs are complete: rebuild it with --from")
    tables = aggregate(root)
    report_skipped(tables["skipped"])
    path = write(root, spec, made.strip(), [o for o in args.overrides])
    print(f"report: {path}")
    if args.publish:
        figures = sorted(root.glob(f"{spec.experiment}*.png"))
        for copy in publish([path, *figures], args.publish):
            print(f"published: {copy}")
    return path


PATH_OPTIONS = ("--out", "--from", "--publish")


def command_line(prog: str, argv: list[str]) -> str:
    """The command as a report records it: folders as :func:`~experiments.cli.shown` writes them
    (relative to the current folder, never the author's absolute path)."""
    words, after_path = [], False
    for arg in argv:
        name, eq, value = arg.partition("=")
        if after_path:
            arg = shown(arg)
        elif eq and name in PATH_OPTIONS:
            arg = f"{name}={shown(value)}"
        after_path = arg in PATH_OPTIONS
        words.append(shlex.quote(arg))
    return " ".join([f"python -m {prog}", *words])


def _multirun_experiment(root: Path) -> str | None:
    """The experiment a Hydra sweep folder ran (``+experiment=NAME`` in its multirun.yaml)."""
    command = _multirun_command(root) or ""
    found = [w.partition("=")[2] for w in command.split() if w.lstrip("+").startswith("experiment=")]
    return found[-1] if found else None


def _multirun_command(root: Path) -> str | None:
    """The ``python -m sim -m ...`` command of a Hydra sweep folder (from its multirun.yaml)."""
    from omegaconf import OmegaConf

    try:
        task = OmegaConf.select(OmegaConf.load(root / "multirun.yaml"), "hydra.overrides.task")
    except Exception:  # noqa: BLE001 - no readable multirun.yaml: the caller falls back
        return None
    return "python -m sim -m " + " ".join(shlex.quote(str(t)) for t in task) if task else None
