"""Shared fixtures: small, seeded scenarios that run in well under a second, and a way to run a
fixture's many scenarios on both cores."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from sim.config import CityConfig, Config
from sim.results import Result

# A suite started in the background from a non-interactive shell inherits SIGINT *ignored*, and
# every process it starts inherits that too, so the Ctrl-C tests' runs would never see the signal a
# user's terminal sends. Give the suite a handler: processes it starts then get the default again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

CORES = min(2, os.cpu_count() or 1)
"""Processes a fixture's runs share. The suite itself runs on two processes (pytest-xdist, see
pyproject.toml); a module's many-run fixture still splits its runs, so that it does not hold the
suite up while the other test process has finished its share."""


def demo_config(**changes) -> Config:
    """The demo county (synthetic, ~30,000 residents) for a short run."""
    city = CityConfig(kind="synthetic", name="demo_county", population=30000, townships=6,
                      villages_per_township=5, area_km2=6000.0, grids=None,
                      township_centres=None, village_centres=None,
                      model_mix={"urban": 2.0, "rural": 2.0, "pastoral": 1.0, "forest": 1.0})
    cfg = Config(days=60, city=city)
    for key, value in changes.items():
        setattr(cfg, key, value)
    return cfg


@pytest.fixture
def demo() -> Config:
    return demo_config()


def simulate_all(runs: list[tuple[list[str], Path]]) -> list[Result]:
    """``sim.simulate(overrides, run_dir)`` for every run, on :data:`CORES` processes, in order.

    For fixtures that need many independent runs: each run is seeded by its own overrides, so
    the results are the same as one after another. joblib's loky workers are reused for the
    whole session, so the import of the engine is paid once per worker, not once per fixture.
    """
    from joblib import Parallel, delayed

    from sim import simulate

    if CORES == 1 or len(runs) == 1:
        return [simulate(overrides, run_dir=run_dir) for overrides, run_dir in runs]
    return Parallel(n_jobs=CORES)(delayed(simulate)(overrides, run_dir=run_dir) for overrides, run_dir in runs)
