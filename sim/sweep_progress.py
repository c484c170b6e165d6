"""A sweep's jobs: which are done, a progress bar over them, and workers that die with their sweep.

Registered in ``scenarios/config.yaml`` under ``hydra.callbacks`` (Hydra callback), so it acts
whichever launcher runs the jobs (basic, joblib workers, submitit/SLURM, Ray):

- **Done means whole.** A run folder is done when :func:`run_problem` finds nothing wrong:
  ``summary.json`` parses, and every table of the run contract is there and is a whole Parquet
  file (a file cut short loses its footer). Before a job starts, a folder that holds a
  ``summary.json`` beside a missing or cut-short table loses that ``summary.json``, so the
  resume rule of ``python -m sim -m`` (skip a finished job of the same configuration) runs the
  job again instead of trusting it.
- **Progress.** At the start of a multirun the launching process counts the sweep's jobs and
  notes it in ``<sweep dir>/.sweep.json``; each job, when it ends, counts the done run folders
  (skipped ones included) and prints a tqdm bar line::

      sweep 5/8 jobs |██████▎    | [00:12<00:07] (job 3 done)

- **Workers die with their sweep.** Killing the launching process (SIGKILL, a closed
  terminal's SIGHUP) would leave joblib's loky workers running their job, or waiting for one,
  for many minutes (loky keeps idle workers 5 min). Two guards end them within about a second:
  a job that runs in a child process of the launching one watches its parent
  (:func:`watch_launcher`), and, for the launchers that start local processes (joblib,
  submitit's local executor), a small watcher process (:data:`WATCHER`, Linux ``/proc``) notes
  the launcher's children and ends them when the launcher is gone, whatever they are doing
  (starting, idle, or inside a job).

Entry points only: the engine never imports this module.
"""

from __future__ import annotations

import json
import math
import os
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig

STATE = ".sweep.json"
LAUNCHER = "SHOUWANG_SWEEP_LAUNCHER"
"""Environment variable ``host:pid`` of the process that launched the sweep (inherited by workers)."""
WATCH_S = 0.5
"""How often a worker checks that its launching process is still there (seconds)."""
ORPHANED = 143  # 128 + SIGTERM: the worker ends as if its parent had stopped it


def _tables() -> tuple[str, ...]:
    from sim.results import TABLES  # the run contract's tables, whatever the engine adds

    return tuple(TABLES)


def table_problem(path: Path) -> str | None:
    """What is wrong with one Parquet table (None if it is there and whole)."""
    import pyarrow.parquet as pq

    if not path.is_file():
        return f"{path.name}: missing"
    try:
        pq.ParquetFile(path).metadata  # noqa: B018 - reads the footer: a cut-short file has none
    except Exception as exc:  # noqa: BLE001 - any unreadable file is "not whole"
        return f"{path.name}: not a whole Parquet file ({str(exc).splitlines()[0][:80]})"
    return None


def run_problem(run_dir: str | Path) -> str | None:
    """Why a run folder is not a finished run (None if it is: summary and every table whole)."""
    run_dir = Path(run_dir)
    summary = run_dir / "summary.json"
    if not run_dir.is_dir():
        return "not a folder"
    if not summary.is_file():
        return "no summary.json (the run did not finish)"
    try:
        data = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return "summary.json: cut short or not JSON"
    if not isinstance(data, dict):
        return "summary.json: not a JSON object"
    for name in _tables():
        problem = table_problem(run_dir / f"{name}.parquet")
        if problem:
            return problem
    return None


def sweep_size(overrides: list[str], params: dict[str, Any] | None = None) -> int | None:
    """How many jobs the basic sweeper makes (None if it cannot tell).

    Args:
        overrides: the command line's overrides (``seed=0,1,2``, ``seed='range(0,8)'``).
        params: ``hydra.sweeper.params`` (an experiment's own sweep); as in Hydra's basic
            sweeper, a key given on the command line replaces the same key's params.
    """
    lines = [f"{k}={v}" for k, v in (params or {}).items()] + list(overrides)
    try:
        parsed = OverridesParser.create().parse_overrides(lines)
        sizes = {o.get_key_element(): len(list(o.sweep_string_iterator())) if o.is_sweep_override() else 1
                 for o in parsed}
    except Exception:  # an override only a custom sweeper understands: no total, still counting
        return None
    return math.prod(sizes.values()) if sizes else 1


def done_jobs(sweep_dir: Path) -> int:
    """Finished run folders of a sweep, at any depth (``runs/<n>/`` for experiments)."""
    return sum(1 for s in Path(sweep_dir).rglob("summary.json") if run_problem(s.parent) is None)


def bar(done: int, total: int | None, elapsed: float) -> str:
    """One progress line for a sweep: tqdm's meter as text, since jobs print between the lines."""
    from tqdm import tqdm

    # tqdm documents total=None (no ETA); types-tqdm types it as float only.
    return tqdm.format_meter(done, total, elapsed, prefix="sweep", unit="job", ncols=70)  # type: ignore[arg-type]


WATCHER = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the launcher's to handle
parent, tag, me = int(sys.argv[1]), sys.argv[2].encode(), os.getpid()
def state(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rpartition(")")[2].split()[0]
    except OSError:
        return "X"
def ours():  # every process started with the launcher's tag in its environment (its workers)
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in (me, parent):
            try:
                with open(f"/proc/{name}/environ", "rb") as fh:
                    if tag in fh.read().split(b"\\0") and state(name) not in "ZX":
                        yield int(name)
            except OSError:
                pass
while state(parent) not in "ZX":
    time.sleep(0.25)
for sig in (signal.SIGTERM, signal.SIGKILL):
    left = list(ours())
    for p in left:
        try:
            os.kill(p, sig)
        except OSError:
            pass
    if not left:
        break
    time.sleep(1.0)
"""
"""The watcher's code (``python -c``, no imports of ours, so it starts in ~20 ms). Once the
launcher is gone it ends, SIGTERM then SIGKILL, every process whose environment carries the
launcher's :data:`LAUNCHER` tag: the workers it started, wherever they have been re-parented."""


_started: dict[str, int] = {}
"""What this process has started: ``watcher`` (its pid) in a launcher, ``watch`` in a worker."""


def start_watcher(launcher_target: str, tag: str) -> bool:
    """Start the watcher for this (launching) process if its launcher starts local processes."""
    import subprocess

    local = "joblib" in launcher_target.lower() or launcher_target.endswith("LocalLauncher")
    if not local or not Path("/proc/self/stat").exists() or _started.get("watcher"):
        return False
    proc = subprocess.Popen([sys.executable, "-c", WATCHER, str(os.getpid()), f"{LAUNCHER}={tag}"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
    _started["watcher"] = proc.pid  # one watcher per launching process
    return True


def alive(pid: int) -> bool:
    """Whether process ``pid`` is running (a zombie, killed but not yet reaped, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc (not Linux): ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def watch_launcher(tag: str | None = None, every: float = WATCH_S) -> bool:
    """In a worker process: exit when the process that launched the sweep is gone.

    ``tag`` is the launching process's ``host:pid`` (default from :data:`LAUNCHER`). On another
    host (a SLURM node) or in the launching process itself (the basic launcher) nothing happens.
    A job that starts after the launcher died exits at once; a direct child of a live launcher
    starts a thread (once per process) that exits when it is re-parented. Returns whether the
    process is watched.
    """
    tag = tag if tag is not None else os.environ.get(LAUNCHER, "")
    host, _, pid = tag.rpartition(":")
    if not pid.isdigit() or host != socket.gethostname() or int(pid) == os.getpid():
        return False
    parent = int(pid)
    if not alive(parent):  # queued before the launcher was killed, started after
        os._exit(ORPHANED)
    if _started.get("watch"):
        return True
    if os.getppid() != parent:  # a grandchild (e.g. under submitit): its own parent is watched
        return False

    def watch() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != parent:  # re-parented: the launcher died without stopping us
                os._exit(ORPHANED)  # no cleanup: the job's folder has no summary.json, so it reruns

    threading.Thread(target=watch, name="sweep-launcher-watch", daemon=True).start()
    _started["watch"] = os.getpid()
    return True


class SweepProgress(Callback):
    """Progress over a sweep's jobs; cut-short folders re-run; workers that die with the sweep."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Hydra callback: tag the launcher, start the watcher that ends orphaned workers, and print
        the sweep's first line with its size."""
        tag = os.environ[LAUNCHER] = f"{socket.gethostname()}:{os.getpid()}"  # inherited by workers
        start_watcher(str(config.hydra.launcher.get("_target_", "")), tag)
        sweep_dir = Path(config.hydra.sweep.dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        params = config.hydra.sweeper.get("params") or {}
        total = sweep_size(list(config.hydra.overrides.task), {str(k): str(v) for k, v in params.items()})
        (sweep_dir / STATE).write_text(json.dumps({"total": total, "started": time.time()}))
        print(bar(done_jobs(sweep_dir), total, 0.0), file=sys.stderr, flush=True)

    def on_job_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Hydra callback in a job: watch the launcher, and drop a summary whose tables are not whole, so
        the job runs again rather than being skipped."""
        if config.hydra.mode != RunMode.MULTIRUN:
            return
        watch_launcher()
        run_dir = Path(config.hydra.runtime.output_dir)
        if (run_dir / "summary.json").is_file():
            problem = run_problem(run_dir)
            if problem:  # a summary beside a missing or cut-short table vouches for nothing
                (run_dir / "summary.json").unlink(missing_ok=True)
                print(f"rerun: job {config.hydra.job.num}: {run_dir} is not whole ({problem})", flush=True)

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        """Hydra callback: print the progress line with the jobs done so far."""
        sweep_dir = Path(config.hydra.sweep.dir)
        state_file = sweep_dir / STATE
        if config.hydra.mode != RunMode.MULTIRUN or not state_file.exists():
            return
        state = json.loads(state_file.read_text())
        line = bar(done_jobs(sweep_dir), state["total"], time.time() - state["started"])
        print(f"{line} (job {config.hydra.job.num} done)", file=sys.stderr, flush=True)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Hydra callback: forget this sweep's tag and print the last progress line."""
        os.environ.pop(LAUNCHER, None)  # later processes of a long-lived caller are not this sweep's
        sweep_dir = Path(config.hydra.sweep.dir)
        state_file = sweep_dir / STATE
        if state_file.exists():
            state = json.loads(state_file.read_text())
            print(bar(done_jobs(sweep_dir), state["total"], time.time() - state["started"]),
                  file=sys.stderr, flush=True)
