"""Core benchmark: wall time and peak memory of a 365-day Hulunbuir year at several scales.

Each scale runs in its own process pinned to one core, so peak RSS is that run's alone::

    python -m experiments.bench.core                 # scales 0.01, 0.1, 1
    python -m experiments.bench.core --scales 0.1 1 --days 365

Prints one row per scale and the ratios time(1)/time(0.1) and rss(1)/rss(0.1).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

CHILD = r"""
import json, os, resource, sys, time
os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
from sim.config import Config
from sim.run import run
cfg = Config(scale=float(sys.argv[1]), days=int(sys.argv[2]))
t = time.perf_counter()
result = run(cfg, sys.argv[3])
wall = time.perf_counter() - t
print(json.dumps({"scale": cfg.scale, "days": cfg.days, "wall_s": wall,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "population": result.summary["population"],
                  "disputes": result.summary["disputes"]["created"]}))
"""


def measure(scale: float, days: int) -> dict:
    """Run one year at ``scale`` in a fresh single-core process; return its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", CHILD, str(scale), str(days), tmp],
                             capture_output=True, text=True, check=True,
                             env={"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                                  **{k: v for k, v in __import__("os").environ.items()}})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.01, 0.1, 1.0])
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)
    rows = []
    print(f"{'scale':>6} {'residents':>10} {'disputes':>9} {'wall s':>8} {'peak RSS MB':>12} {'us/resident-day':>16}")
    for scale in args.scales:
        r = measure(scale, args.days)
        r["us_per_resident_day"] = 1e6 * r["wall_s"] / (r["population"] * r["days"])
        rows.append(r)
        print(f"{scale:>6} {r['population']:>10,} {r['disputes']:>9,} {r['wall_s']:>8.2f} "
              f"{r['peak_rss_mb']:>12.0f} {r['us_per_resident_day']:>16.4f}")
    by = {r["scale"]: r for r in rows}
    if 1.0 in by and 0.1 in by:
        print(f"time(1)/time(0.1) = {by[1.0]['wall_s'] / by[0.1]['wall_s']:.2f}   "
              f"rss(1)/rss(0.1) = {by[1.0]['peak_rss_mb'] / by[0.1]['peak_rss_mb']:.2f}")
    return rows


if __name__ == "__main__":
    main()
