"""``python -m sim [overrides]``: run one scenario (or a sweep with ``-m``) into run folders."""

from __future__ import annotations

import sys

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from sim.cli import cli, reported
from sim.hydra_conf import SCENARIOS, to_config


@hydra.main(version_base="1.3", config_path=str(SCENARIOS), config_name="config")
def main(cfg: DictConfig) -> None:
    from sim.run import describe, run

    with reported():  # bad values, a broken city table, an unknown banner: one line, exit 2
        config = to_config(cfg)
        run_dir = HydraConfig.get().runtime.output_dir
        result = run(config, run_dir)
    print(describe(result.summary))
    print(f"run folder: {result.run_dir}")


if __name__ == "__main__":
    cli(main)  # Hydra's own errors (unknown key, bad type, bad override) as one line too
