"""``python -m sim [overrides]``: run one scenario (or a sweep with ``-m``) into run folders."""

from __future__ import annotations

import sys

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from sim.errors import ShouwangError
from sim.hydra_conf import to_config


@hydra.main(version_base="1.3", config_path="../scenarios", config_name="config")
def main(cfg: DictConfig) -> None:
    from sim.run import describe, run

    try:
        config = to_config(cfg)
    except ShouwangError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    run_dir = HydraConfig.get().runtime.output_dir
    result = run(config, run_dir)
    print(describe(result.summary))
    print(f"run folder: {result.run_dir}")


if __name__ == "__main__":
    main()
