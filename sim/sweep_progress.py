"""A progress bar over a sweep's jobs (Hydra callback), whichever launcher runs them.

Registered in ``scenarios/config.yaml`` under ``hydra.callbacks``. At the start of a multirun
the launching process counts the sweep's jobs (the product of the sweep overrides' choices)
and notes it in ``<sweep dir>/.sweep.json``; each job, when it ends (in whatever process or
node the launcher ran it: basic, joblib workers, submitit/SLURM, Ray), counts the complete run
folders (those holding ``summary.json``, skipped ones included) and prints a tqdm bar line::

    sweep 5/8 jobs |██████▎    | [00:12<00:07] (job 3 done)

Entry points only: the engine never imports this module.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig

STATE = ".sweep.json"


def sweep_size(overrides: list[str]) -> int | None:
    """How many jobs the basic sweeper makes of these overrides (None if it cannot tell)."""
    try:
        parsed = OverridesParser.create().parse_overrides(list(overrides))
        sizes = [len(list(o.sweep_string_iterator())) for o in parsed if o.is_sweep_override()]
    except Exception:  # an override only a custom sweeper understands: no total, still counting
        return None
    return math.prod(sizes) if sizes else 1


def done_jobs(sweep_dir: Path) -> int:
    """Complete run folders of a sweep (``summary.json`` is written last)."""
    return sum(1 for _ in sweep_dir.glob("*/summary.json"))


def bar(done: int, total: int | None, elapsed: float) -> str:
    from tqdm import tqdm

    # tqdm documents total=None (no ETA); types-tqdm types it as float only.
    return tqdm.format_meter(done, total, elapsed, prefix="sweep", unit="job", ncols=70)  # type: ignore[arg-type]


class SweepProgress(Callback):
    """Print the sweep's progress (jobs done / total) each time a job ends."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        total = sweep_size(list(config.hydra.overrides.task))
        (sweep_dir / STATE).write_text(json.dumps({"total": total, "started": time.time()}))
        print(bar(done_jobs(sweep_dir), total, 0.0), file=sys.stderr, flush=True)

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        state_file = sweep_dir / STATE
        if config.hydra.mode != RunMode.MULTIRUN or not state_file.exists():
            return
        state = json.loads(state_file.read_text())
        line = bar(done_jobs(sweep_dir), state["total"], time.time() - state["started"])
        print(f"{line} (job {config.hydra.job.num} done)", file=sys.stderr, flush=True)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        state_file = sweep_dir / STATE
        if state_file.exists():
            state = json.loads(state_file.read_text())
            print(bar(done_jobs(sweep_dir), state["total"], time.time() - state["started"]),
                  file=sys.stderr, flush=True)
