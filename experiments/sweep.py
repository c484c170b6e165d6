"""Run an experiment's sweep: expand Hydra sweep overrides into jobs, one run folder per job.

An experiment is a Hydra config under ``scenarios/experiment/`` (``# @package _global_``) holding
scenario overrides and ``hydra.sweeper.params``. It runs two ways, with identical run folders:

- ``python -m sim -m +experiment=NAME`` (Hydra's multirun; add ``hydra/launcher=parallel`` for
  one process per core), then ``python -m experiments.aggregate DIR``;
- ``python -m experiments.NAME`` (this module's :func:`run_sweep`, then the aggregate and the
  report in one go): jobs whose ``summary.json`` exists with the same configuration are skipped,
  so an interrupted sweep resumes where it stopped (and a changed scenario is run again).

Common random numbers: every job with the same ``seed`` shares its world and its dispute
arrivals (sim.model spawns separate world/arrivals/behaviour/service streams from the seed),
so scenarios compared seed by seed differ by their mechanisms, not by their luck.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import OmegaConf

from sim.errors import ShouwangError
from sim.hydra_conf import SCENARIOS, to_config
from sim.results import is_complete


@dataclass
class Job:
    """One run of a sweep: its number, its overrides, and the folder it writes."""

    num: int
    overrides: list[str]  # the swept values only (key=value)
    run_dir: Path


def compose_experiment(experiment: str, overrides: list[str], hydra: bool = False):
    """The composed config of ``+experiment=NAME`` plus overrides (with its ``hydra`` node if asked)."""
    with initialize_config_dir(version_base="1.3", config_dir=str(SCENARIOS), job_name=experiment):
        return compose(config_name="config", overrides=[f"+experiment={experiment}", *overrides],
                       return_hydra_config=hydra)


def split_overrides(args: list[str]) -> tuple[list[str], dict[str, str]]:
    """Fixed overrides and sweep overrides (``a=1,2`` or ``seed=range(0,5)``) from a command line."""
    fixed, sweeps = [], {}
    for o in OverridesParser.create().parse_overrides(args):
        text = o.input_line
        if o.is_sweep_override():
            sweeps[o.get_key_element()] = text.split("=", 1)[1]
        else:
            fixed.append(text)
    return fixed, sweeps


def expand(params: dict[str, str]) -> list[list[str]]:
    """Every combination of the sweep ``params`` (Hydra grammar), as override lists, in order."""
    axes = []
    for o in OverridesParser.create().parse_overrides([f"{k}={v}" for k, v in params.items()]):
        key = o.get_key_element()
        values = list(o.sweep_string_iterator()) if o.is_sweep_override() else [o.get_value_element_as_str()]
        axes.append([f"{key}={v}" for v in values])
    return [list(combo) for combo in itertools.product(*axes)] if axes else [[]]


def plan(experiment: str, args: list[str], out: str | Path | None = None) -> tuple[list[Job], list[str], Path]:
    """The jobs of an experiment with command-line ``args`` (which may add or replace sweeps).

    Returns:
        The jobs, the fixed overrides every job gets, and the sweep folder.
    """
    fixed, sweeps = split_overrides(args)
    cfg = compose_experiment(experiment, fixed, hydra=True)
    params = dict(OmegaConf.to_container(cfg.hydra.sweeper.params, resolve=True) or {})
    params = {k: str(v) for k, v in params.items()}
    pinned = {f.split("=", 1)[0].lstrip("+~") for f in fixed}
    params = {k: v for k, v in params.items() if k.lstrip("+~") not in pinned}  # a fixed value wins
    params.update(sweeps)
    root = Path(out) if out is not None else SCENARIOS.parent / str(cfg.hydra.sweep.dir)
    jobs = [Job(i, combo, root / "runs" / str(i)) for i, combo in enumerate(expand(params))]
    return jobs, fixed, root


def run_job(experiment: str, fixed: list[str], job: Job) -> Path:
    """Run one job into its folder, unless it is complete with the same configuration.

    The saved ``.hydra/config.yaml`` is compared with the config composed now, so a run made
    before a scenario file or a default changed is run again rather than reused.
    """
    from sim.run import run

    overrides = [f"+experiment={experiment}", *fixed, *job.overrides]
    cfg = compose_experiment(experiment, [*fixed, *job.overrides])
    plain = OmegaConf.to_container(cfg, resolve=True)
    hydra_dir = job.run_dir / ".hydra"
    saved = hydra_dir / "config.yaml"
    if is_complete(job.run_dir) and saved.exists() and OmegaConf.to_container(OmegaConf.load(saved)) == plain:
        return job.run_dir
    config = to_config(cfg)
    hydra_dir.mkdir(parents=True, exist_ok=True)
    OmegaConf.save(OmegaConf.create(plain), saved)
    OmegaConf.save(OmegaConf.create(overrides), hydra_dir / "overrides.yaml")
    run(config, job.run_dir)
    return job.run_dir


def run_sweep(experiment: str, args: list[str], out: str | Path | None = None, jobs: int = 1,
              log=print, command: str | None = None) -> Path:
    """Run every job of an experiment (``jobs`` processes with joblib); return the sweep folder.

    Raises:
        ShouwangError: a job's configuration is refused (the message names the key).
    """
    todo, fixed, root = plan(experiment, args, out)
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    log(f"{experiment}: {len(todo)} runs into {root}")
    if jobs == 1:
        for job in todo:
            run_job(experiment, fixed, job)
    else:
        from joblib import Parallel, delayed

        Parallel(n_jobs=jobs, backend="loky")(delayed(run_job)(experiment, fixed, j) for j in todo)
    missing = [j.num for j in todo if not is_complete(j.run_dir)]
    if missing:
        raise ShouwangError(f"{experiment}: runs {missing} did not complete")
    (root / "sweep.json").write_text(json.dumps({
        "experiment": experiment, "command": command, "args": args, "fixed": fixed, "runs": len(todo),
        "wall_s": round(time.perf_counter() - started, 2)}, indent=2) + "\n")
    return root
