"""``python -m sim [overrides]``: run one scenario (or a sweep with ``-m``) into run folders.

Ctrl-C while the heavy imports load (the first ~1-2 s) is one line and status 130, like Ctrl-C at
any later moment (:func:`sim.cli.cli`): until they are loaded, a SIGINT handler prints the line and
ends the process at once (nothing is written before :func:`sim.cli.cli` runs).
"""

from __future__ import annotations

import os
import signal
import sys

STARTING = b"interrupted: stopped before the run started; nothing was written\n"


def _interrupted_while_starting(*_: object) -> None:
    """Ctrl-C before the run started: say so in one line and stop with status 130.

    As a SIGINT handler it exits from the handler itself instead of raising KeyboardInterrupt: an
    exception raised at an arbitrary point of an import can come out as another error (OmegaConf's
    cleanup of a half-built structured config replaced it with an AttributeError and a traceback)
    or be swallowed by Python's import machinery (the run then went on).
    """
    os.write(2, STARTING)
    os._exit(130)


_AS_COMMAND = __name__ == "__main__"  # imported by experiments.launch, the signal handlers are its own
_PREVIOUS = signal.getsignal(signal.SIGINT)
if _AS_COMMAND:
    signal.signal(signal.SIGINT, _interrupted_while_starting)
try:
    from pathlib import Path

    import hydra
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode
    from omegaconf import DictConfig

    from sim.cli import cli, reported
    from sim.hydra_conf import SCENARIOS, to_config
finally:  # loaded (or failed): Python's handler again, whose KeyboardInterrupt sim.cli.cli turns into its one line
    if _AS_COMMAND:
        signal.signal(signal.SIGINT, _PREVIOUS)


@hydra.main(version_base="1.3", config_path=str(SCENARIOS), config_name="config")
def main(cfg: DictConfig) -> None:
    """One Hydra job: the configuration was vetted and checked by :func:`sim.cli.cli` already."""
    hydra_cfg = HydraConfig.get()
    run_dir = hydra_cfg.runtime.output_dir
    sweep = hydra_cfg.mode == RunMode.MULTIRUN
    from sim.results import complete_with, problem
    from sim.run import describe, run

    if sweep:
        exit_with_the_sweep()  # a worker whose sweep was killed stops too
    if sweep and (Path(run_dir) / "summary.json").exists():  # resume: finished jobs are skipped
        why = problem(run_dir)  # every table there and readable, not only the summary
        with reported():
            same = why is None and complete_with(run_dir, to_config(cfg))  # ... made by this configuration
        if same:
            print(f"skipped: job {hydra_cfg.job.num} is complete ({Path(run_dir) / 'summary.json'})")
            return
        if why is not None:
            print(f"rerun: job {hydra_cfg.job.num}: {run_dir} held an incomplete run ({why})")
        else:
            print(f"rerun: job {hydra_cfg.job.num}: {run_dir} held a finished run of another configuration")

    with reported():  # bad values, a broken city table, an unknown banner: one line, exit 2
        config = to_config(cfg)
        # a bar over days for interactive single runs (progress=true forces it anywhere)
        result = run(config, run_dir, progress=config.progress or (not sweep and sys.stderr.isatty()))
    print(describe(result.summary))
    print(f"run folder: {result.run_dir}")


SWEEP = "_SHOUWANG_SWEEP"
"""``host:pid`` of the process that launched a sweep (set by :func:`sim.command.front_door`)."""
_watching: list[int] = []


def exit_with_the_sweep(poll_s: float = 1.0) -> None:
    """In a sweep's worker process on the launching machine: exit when the launcher is gone.

    A killed sweep would otherwise leave its joblib (loky) workers simulating for nobody for
    many minutes. Jobs on other machines (SLURM) and the launcher itself are left alone.
    """
    import os
    import socket
    import threading
    import time

    host, _, pid = os.environ.get(SWEEP, "").rpartition(":")
    if not pid.isdigit() or int(pid) == os.getpid() or host != socket.gethostname() or _watching:
        return
    _watching.append(int(pid))

    def watch() -> None:
        while True:
            time.sleep(poll_s)
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                os._exit(INTERRUPTED_STATUS)
            except PermissionError:  # alive, another user's (the pid was reused): keep going
                pass

    threading.Thread(target=watch, name="exit-with-the-sweep", daemon=True).start()


INTERRUPTED_STATUS = 130


if __name__ == "__main__":
    try:
        cli(main)  # vetted, checked and the run folder held before Hydra acts; failures in one line
    except KeyboardInterrupt:  # between the imports and cli's own handler
        _interrupted_while_starting()
