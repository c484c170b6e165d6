"""Where a year's time goes: cProfile of one run, summed into the model's phases.

The phases are disjoint: building the model, each part of the day (arrivals, visits, latent
growth and detection, fraud, the SimPy queues, the daily record) and writing the tables. Inside
them, a few cross-cutting costs are shown too (SimPy's event loop, Mesa agents for live
parties, numpy). cProfile slows Python-heavy code more than array code, so the shares
are a guide; the run's own time without the profiler is printed alongside.

Run: ``python -m experiments.bench.profile_year [--scale 1] [--top 15]``
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import tempfile
import time
from pathlib import Path

PHASES = [  # (label, file suffix, function name): cumulative time of each
    ("build the model (world, residents, staff)", "sim/model.py", "__init__"),
    ("arrivals (Poisson per grid, tension thinning, records)", "sim/mechanisms/arrivals.py", "step"),
    ("grid workers' rounds + fraud (awareness, campaign)", "sim/model.py", "rounds"),
    ("latent growth + detection (+ on-the-spot, process start)", "sim/model.py", "detect"),
    ("SimPy day: mediation, police, court processes", "simpy/core.py", "run"),
    ("closures into residents' trust and tension", "sim/agents/residents.py", "apply_settlements"),
    ("daily record (tally, queues, live)", "sim/daily.py", "daily_rows"),
    ("tables + summary", "sim/tables.py", None),
    ("run folder (parquet, json)", "sim/results.py", "write_run"),
]
ACROSS = [  # (label, path part, function names or None for all): own time summed
    ("  across phases: SimPy's own event loop (simpy package)", "/simpy/", None),
    ("  across phases: mediation sessions (centre serve)", "sim/agents/mediators.py", ("serve",)),
    ("  across phases: Mesa agents made/removed", "/mesa/", None),
    ("  across phases: numpy on arrays and single values", "/numpy/", None),
]


def _own(stats: pstats.Stats, part: str, names: tuple[str, ...] | None) -> float:
    return sum(own for (path, _, name), (_, _, own, _, _) in stats.stats.items()
               if part in path and (names is None or name in names))


def _cum(stats: pstats.Stats, suffix: str, names: tuple[str, ...] | str | None) -> float:
    if isinstance(names, str):
        names = (names,)
    total = 0.0
    for (path, _, name), (_, _, _, cum, _) in stats.stats.items():
        if path.endswith(suffix) and (names is None or name in names):
            if names is None and name.startswith("_"):
                continue  # module-level public functions only (each called once per run)
            total += cum
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--top", type=int, default=12, help="functions listed by own time")
    args = parser.parse_args()
    from sim.api import compose_config
    from sim.hydra_conf import to_config
    from sim.run import run

    cfg = to_config(compose_config([f"scale={args.scale}", f"days={args.days}"]))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        run(cfg, Path(tmp) / "plain", progress=False)
        plain = time.perf_counter() - started
        profiler = cProfile.Profile()
        profiler.enable()
        run(cfg, Path(tmp) / "profiled", progress=False)
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(f"scale {args.scale}, {args.days} days: {plain:.2f} s unprofiled, {total:.2f} s under cProfile")
    print(f"{'phase':60s} {'s':>7s} {'share':>6s}")
    phases = []
    for label, suffix, name in PHASES:
        t = _cum(stats, suffix, name)
        phases.append((label, t))
        print(f"{label:60s} {t:7.2f} {t / total:6.1%}")
    for label, part, names in ACROSS:
        t = _own(stats, part, names) if names is None else _cum(stats, part, names)
        phases.append((label, t))
        print(f"{label:60s} {t:7.2f} {t / total:6.1%}")
    print(f"\ntop {args.top} functions by own time:")
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[: args.top]
    top = []
    for (path, line, name), (_, calls, own, cum, _) in rows:
        short = "/".join(Path(path).parts[-2:]) if path != "~" else "builtin"
        top.append({"function": f"{short}:{line} {name}", "own_s": own, "cum_s": cum, "calls": calls})
        print(f"  {own:6.2f} s own {cum:6.2f} s cum {calls:>9,} calls  {short}:{line} {name}")
    out = Path(__file__).resolve().parents[2] / "results" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"profile_scale{args.scale:g}.json").write_text(json.dumps(
        {"scale": args.scale, "days": args.days, "unprofiled_s": plain, "profiled_s": total,
         "phases": phases, "top": top}, indent=1))


if __name__ == "__main__":
    main()
