"""The Python API: ``simulate(overrides) -> Result``, the same run as ``python -m sim``."""

from __future__ import annotations

import time
from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.errors import HydraException
from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.cli import explain
from sim.errors import ShouwangError
from sim.hydra_conf import SCENARIOS, to_config
from sim.results import Result
from sim.run import run


def compose_config(overrides: list[str] | None = None):
    """Compose ``scenarios/config.yaml`` with Hydra overrides (as on the command line)."""
    with initialize_config_dir(version_base="1.3", config_dir=str(SCENARIOS), job_name="simulate"):
        return compose(config_name="config", overrides=list(overrides or []))


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
            a meaningless value), in the same one line ``python -m sim`` prints.
    """
    try:
        cfg = compose_config(overrides)
        config = to_config(cfg)
    except (HydraException, OmegaConfBaseException) as exc:
        raise ShouwangError(explain(exc, list(overrides or []))[0]) from exc
    if run_dir is None:
        run_dir = SCENARIOS.parent / "results" / "runs" / time.strftime("%Y-%m-%d/%H-%M-%S")
    run_dir = Path(run_dir)
    hydra_dir = run_dir / ".hydra"
    hydra_dir.mkdir(parents=True, exist_ok=True)
    plain = OmegaConf.to_container(cfg, resolve=True)
    OmegaConf.save(OmegaConf.create(plain), hydra_dir / "config.yaml")
    OmegaConf.save(OmegaConf.create(list(overrides or [])), hydra_dir / "overrides.yaml")
    return run(config, run_dir, progress=progress)
