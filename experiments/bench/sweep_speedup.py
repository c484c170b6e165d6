"""Sweep speed-up: 8 jobs with the joblib launcher on the machine's cores vs one after another.

Both are the same ``python -m sim -m seed=0..7 ...`` command, timed whole (interpreter start,
composition, workers' imports, runs, run folders): once with Hydra's basic launcher
(sequential, one process) and once with ``hydra/launcher=parallel`` (joblib/loky, one process
per core). Prints both wall times and the speed-up (target >= 1.7x for 8 jobs on 2 cores).

Run: ``python -m experiments.bench.sweep_speedup [--scale 0.5] [--jobs 8] [--cores 2]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from experiments.bench.measure import ONE_THREAD, ROOT


def sweep(launcher: str | None, overrides: list[str], sweep_dir: Path) -> float:
    """Wall seconds of one multirun; checks every job left a complete run folder."""
    argv = [sys.executable, "-m", "sim", "-m", *overrides, f"hydra.sweep.dir={sweep_dir}"]
    if launcher:
        argv.append(f"hydra/launcher={launcher}")
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=dict(os.environ, **ONE_THREAD), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.5, help="Hulunbuir scale of each job")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    overrides = [f"seed=range(0,{args.jobs})", f"scale={args.scale}", f"days={args.days}"]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="shouwang-sweep-") as tmp:
        seq = sweep(None, overrides, Path(tmp) / "sequential")
        par = sweep("parallel", overrides + [f"hydra.launcher.n_jobs={args.cores}"], Path(tmp) / "parallel")
        load_after = os.getloadavg()[0]
        for name in ("sequential", "parallel"):
            done = list((Path(tmp) / name).glob("*/summary.json"))
            if len(done) != args.jobs:
                raise SystemExit(f"{name}: {len(done)} of {args.jobs} run folders complete")
        runtimes, par_runtimes = (
            [json.loads(p.read_text())["runtime_s"] for p in (Path(tmp) / name).glob("*/summary.json")]
            for name in ("sequential", "parallel"))
    print(f"{args.jobs} jobs (Hulunbuir scale {args.scale}, {args.days} days; one run {min(runtimes):.1f}-"
          f"{max(runtimes):.1f} s):")
    print(f"  basic launcher, one after another: {seq:6.1f} s")
    print(f"  joblib launcher on {args.cores} cores:        {par:6.1f} s")
    alone, beside = sum(runtimes) / len(runtimes), sum(par_runtimes) / len(par_runtimes)
    print(f"  one run: {alone:.2f} s alone, {beside:.2f} s beside another (shared memory bandwidth, caches)")
    print(f"  speed-up {seq / par:.2f}x (target >= 1.7x on 2 cores); load average (1 min) {load:.1f} "
          f"before, {load_after:.1f} after")
    out = ROOT / "results" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "sweep_speedup.json").write_text(json.dumps(
        {"jobs": args.jobs, "scale": args.scale, "days": args.days, "cores": args.cores,
         "sequential_s": seq, "parallel_s": par, "speedup": seq / par, "load_before": load,
         "run_s_alone": alone, "run_s_parallel": beside,
         "load_after": load_after}, indent=1))


if __name__ == "__main__":
    main()
