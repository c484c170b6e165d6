"""The Python API: ``simulate(overrides) -> Result``, the same run as ``python -m sim``."""

from __future__ import annotations

import time
from pathlib import Path

from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.cli import explain
from sim.errors import ShouwangError
from sim.hydra_conf import SCENARIOS, compose_scenario, to_config
from sim.results import Result, begin_run, claim
from sim.run import preflight, run


def compose_config(overrides: list[str] | None = None) -> DictConfig:
    """Compose ``scenarios/config.yaml`` with Hydra overrides (as on the command line, vetted)."""
    return compose_scenario(overrides)


def simulate(overrides: list[str] | None = None, run_dir: str | Path | None = None,
             progress: bool = False) -> Result:
    """Run a scenario from Python.

    Args:
        overrides: Hydra overrides, e.g. ``["city=demo_county", "days=30", "seed=3"]``.
        run_dir: the run folder (default ``results/runs/<date>/<time>`` beside the scenarios).
        progress: show a progress bar over days.

    Returns:
        The :class:`~sim.results.Result`; the folder also holds ``.hydra/config.yaml``.

    Raises:
        ShouwangError: bad input (an unknown key or preset, a wrong type, a malformed override,
            a value out of range, a run too large for memory), in the same one line
            ``python -m sim`` prints, before the run folder is created or touched; or the
            folder is in use by another run, is a file, or cannot be written.
    """
    try:
        cfg = compose_config(overrides)
        config = to_config(cfg)
    except (HydraException, OmegaConfBaseException) as exc:
        raise ShouwangError(explain(exc, list(overrides or []))[0]) from exc
    preflight(config)  # refused before anything is written
    if run_dir is None:
        run_dir = SCENARIOS.parent / "results" / "runs" / time.strftime("%Y-%m-%d/%H-%M-%S")
    run_dir = Path(run_dir)
    with claim(run_dir, key="run_dir"):
        begin_run(run_dir)  # an old summary.json goes before the new .hydra/ is written
        hydra_dir = run_dir / ".hydra"
        hydra_dir.mkdir(parents=True, exist_ok=True)
        plain = OmegaConf.to_container(cfg, resolve=True)
        OmegaConf.save(OmegaConf.create(plain), hydra_dir / "config.yaml")
        OmegaConf.save(OmegaConf.create(list(overrides or [])), hydra_dir / "overrides.yaml")
        return run(config, run_dir, progress=progress)
