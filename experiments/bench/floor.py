"""The year against its floor: a full-scale year's time as a ratio to the cheapest possible year.

The floor is what any simulation of every resident every day must at least do: one Bernoulli
draw per resident per day and a count per grid (numpy, the same 2,242,875 residents and 6,997
grids, 365 days). Both run here, one after the other, each in a fresh process pinned to one
core, so the ratio holds whatever the machine's speed::

    python -m experiments.bench.floor                 # the default scenario, 365 days
    python -m experiments.bench.floor --repeat 3 -- governance=pre_reform

Prints the floor's time, the year's time (model build + days + tables + writing the run
folder; the libraries, Mesa, SciPy and pandas, are loaded before the clock starts, as numpy is
for the floor, and their loading time is printed apart), their ratio, and the year's peak RSS.
Engine v2's budget: ratio <= 3.6, RSS <= 1 GB. With ``timeline=reform_2019_2022`` both run
the timeline's 1,461 days, so the ratio is per simulated year (budget ~4).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

FLOOR = r"""
import json, os, resource, sys, time
import numpy as np
os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
residents, grids, days = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(0)
grid_of = np.sort(rng.integers(0, grids, residents))
t = time.perf_counter()
total = 0
for day in range(days):
    hit = rng.random(residents) < 1e-4
    total += int(np.bincount(grid_of[hit], minlength=grids).sum())
wall = time.perf_counter() - t
print(json.dumps({"wall_s": wall, "events": total,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

YEAR = r"""
import json, os, resource, sys, time
os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
t = time.perf_counter()
from sim.api import compose_config
from sim.hydra_conf import to_config
from sim.run import run
import sim.model, sim.tables  # the libraries load before the clock, as numpy does for the floor
imports = time.perf_counter() - t
cfg = to_config(compose_config(json.loads(sys.argv[1])))
t = time.perf_counter()
result = run(cfg, sys.argv[2])
wall = time.perf_counter() - t
print(json.dumps({"wall_s": wall, "import_s": imports, "days": cfg.days, "population": result.summary["population"],
                  "grids": result.summary["grids"], "disputes": result.summary["disputes"]["created"],
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(code: str, *args: str) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(overrides: list[str], repeat: int = 1) -> dict:
    """Time the scenario's year and the floor for the same residents, grids and days (median of ``repeat``)."""
    years, floors = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            years.append(_child(YEAR, json.dumps(overrides), tmp))
        y = years[-1]
        floors.append(_child(FLOOR, str(y["population"]), str(y["grids"]), str(y["days"])))
    year = years[0]
    year_s = statistics.median(r["wall_s"] for r in years)
    floor_s = statistics.median(r["wall_s"] for r in floors)
    return {"overrides": overrides, "days": year["days"], "population": year["population"],
            "disputes": year["disputes"], "year_s": year_s, "floor_s": floor_s, "ratio": year_s / floor_s,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in years),
            "import_s": statistics.median(r["import_s"] for r in years)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; medians are reported (default 1)")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides of the scenario (default: the baseline)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat: must be >= 1, got {args.repeat}")
    r = measure(args.overrides, args.repeat)
    print(f"scenario: {' '.join(r['overrides']) or 'default'} · {r['population']:,} residents · {r['days']} days "
          f"· {r['disputes']:,} disputes")
    years = r["days"] / 365
    timeline = any(o.startswith("timeline=") and o != "timeline=none" for o in r["overrides"])
    budget = 4.0 if timeline else 3.6  # issue 14: a four-year run under ~4x the floor per year
    per_year = f" · per simulated year: floor {r['floor_s'] / years:.2f} s, run {r['year_s'] / years:.2f} s" \
        if r["days"] != 365 else ""
    print(f"floor {r['floor_s']:.2f} s · year {r['year_s']:.2f} s · ratio {r['ratio']:.2f} "
          f"(budget <= {budget:g}) · peak RSS {r['peak_rss_mb']:.0f} MB (budget <= 1024){per_year}")
    print(f"(not timed: loading the libraries, {r['import_s']:.2f} s, as numpy's for the floor)")
    return r


if __name__ == "__main__":
    main()
