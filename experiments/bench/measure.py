"""Measure one scenario in a fresh child process pinned to one core: wall time and peak RSS.

The child (``python -m experiments.bench.measure --child '<json overrides>'``) imports the
engine, composes the scenario, runs it into a scratch folder and prints its timings as JSON.
The parent pins it with ``taskset -c 0`` and one BLAS/OpenMP thread, and reads the child's
own peak resident set size from ``os.wait4`` (``ru_maxrss``), so nothing else in the parent
counts towards it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}


def one_core_command(argv: list[str], core: int = 0) -> list[str]:
    """``argv`` pinned to one core with ``taskset`` when it exists (Linux)."""
    if shutil.which("taskset"):
        return ["taskset", "-c", str(core)] + argv
    return argv


def child_run(argv: list[str], core: int = 0, timeout: float | None = None) -> tuple[str, float, float]:
    """Run ``argv`` pinned to one core; return (stdout, wall seconds, peak RSS in MB of the child)."""
    env = dict(os.environ, **ONE_THREAD)
    started = time.perf_counter()
    proc = subprocess.Popen(one_core_command(argv, core), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout) if timeout else (proc.stdout.read(), proc.stderr.read())
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    # reap the child ourselves to get its own rusage (Popen.wait would discard it)
    _, status, usage = os.wait4(proc.pid, 0) if proc.returncode is None else (0, 0, None)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status) if usage is not None else proc.returncode
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}): {' '.join(argv)}\n{err[-2000:]}")
    rss_mb = usage.ru_maxrss / 1024.0 if usage is not None else float("nan")
    return out, wall, rss_mb


def measure(overrides: list[str], core: int = 0) -> dict:
    """Run one scenario in a pinned child; return its figures.

    Returns:
        ``{"overrides", "import_s", "run_s", "run_cpu_s", "process_s", "rss_mb", "population",
        "days", "disputes"}``: ``run_s`` is model build + days + tables written (what
        ``summary.json``'s runtime counts) in wall time, ``run_cpu_s`` the same in CPU time of
        the child (what the run costs its core even when other work shares it), ``process_s``
        the whole child including interpreter start and imports, ``rss_mb`` its peak RSS.
    """
    out, wall, rss = child_run([sys.executable, "-m", "experiments.bench.measure", "--child",
                                json.dumps(overrides)], core)
    figures = json.loads(out.strip().splitlines()[-1])
    figures.update(overrides=overrides, process_s=wall, rss_mb=rss)
    return figures


def baseline_rss(core: int = 0) -> float:
    """Peak RSS (MB) of a child that only imports the engine: the fixed cost under every run."""
    code = "import sim.api, sim.run, sim.model, pandas, pyarrow"
    _, _, rss = child_run([sys.executable, "-c", code], core)
    return rss


def _child(overrides: list[str]) -> None:
    started = time.perf_counter()
    from sim.api import compose_config
    from sim.hydra_conf import to_config
    from sim.run import run

    imported = time.perf_counter()
    cfg = to_config(compose_config(overrides))
    with tempfile.TemporaryDirectory(prefix="shouwang-bench-") as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        result = run(cfg, Path(tmp) / "run", progress=False)
        t1, c1 = time.perf_counter(), time.process_time()
    print(json.dumps({
        "import_s": imported - started, "run_s": t1 - t0, "run_cpu_s": c1 - c0,
        "population": result.summary["population"], "days": cfg.days,
        "disputes": result.summary["disputes"]["created"],
    }))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(json.loads(sys.argv[2]))
    else:
        print("usage: python -m experiments.bench.measure --child '<json list of overrides>'",
              file=sys.stderr)
        sys.exit(2)
