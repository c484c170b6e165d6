"""Does a what-if keep its answer at small ``scale``? The hard cut and the baseline at several scales.

Issue 11's "done when": at scale 0.1 the hard cut (``staffing.grid_workers_per_grid=1
staffing.mediators.village=1``) must give a village wait, police call-outs per 10,000 and
civil-to-criminal conversions (民转刑) per 10,000 within 25% of scale 1's, and the baseline's
mediated cases per 10,000 within 10% (means over seeds). This runs both scenarios through
the public API (:func:`sim.simulate`) at each scale and seed, and prints the means, their
standard errors and the ratio of each mean to scale 1's, with a verdict against the targets.

Per-10k figures are read from the summary's ``*_per_10k`` keys where the run writes them
(weighted to the city); otherwise they are the run's counts over its simulated population.

Run: ``python -m experiments.bench.scale_fidelity [--scales 1 0.3 0.1] [--seeds 0 1 2] [--days 365]
[--jobs 2]``; writes ``results/bench/scale_fidelity.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "results" / "bench" / "scale_fidelity.json"
SCENARIOS = {
    "hard_cut": ["staffing.grid_workers_per_grid=1", "staffing.mediators.village=1"],
    "baseline": [],
}
METRICS = ("village_wait_days", "police_per_10k", "criminal_per_10k", "mediated_per_10k")
TARGETS = {  # issue 11: (scenario, metric) -> largest allowed |ratio to scale 1 - 1|
    ("hard_cut", "village_wait_days"): 0.25,
    ("hard_cut", "police_per_10k"): 0.25,
    ("hard_cut", "criminal_per_10k"): 0.25,
    ("baseline", "mediated_per_10k"): 0.10,
}


def per_10k(summary: dict, key: str, count: float) -> float:
    """``summary[key + '_per_10k']`` when the run writes it, else ``count`` per 10,000 simulated residents."""
    weighted = summary.get(f"{key}_per_10k")
    if weighted is not None:
        return float(weighted)
    return 1e4 * count / summary["population"]


def figures(summary: dict) -> dict[str, float]:
    """The four figures the issue compares, from one run's summary."""
    return {
        "village_wait_days": float(summary["mean_wait_days"]["village"]),
        "police_per_10k": per_10k(summary, "police_incidents", summary["police_incidents"]),
        "criminal_per_10k": per_10k(summary, "criminal", summary["disputes"]["criminal"]),
        "mediated_per_10k": per_10k(summary, "mediated_cases", summary["mediated_cases"]),
    }


def one_run(job: tuple[str, float, int, int]) -> dict:
    """Run one (scenario, scale, seed) into a scratch folder; return its figures."""
    from sim import simulate  # in the worker: each process composes its own config

    scenario, scale, seed, days = job
    overrides = SCENARIOS[scenario] + [f"scale={scale}", f"seed={seed}", f"days={days}"]
    with tempfile.TemporaryDirectory() as tmp:
        result = simulate(overrides, run_dir=Path(tmp) / "run")
    s = result.summary
    return {"scenario": scenario, "scale": scale, "seed": seed, "population": s["population"],
            "runtime_s": s.get("runtime_s"), "fidelity": s.get("fidelity"), **figures(s)}


def table(runs: list[dict], scales: list[float]) -> list[dict]:
    """Mean and standard error per (scenario, scale, metric), and the ratio to scale 1's mean."""
    rows = []
    for scenario in SCENARIOS:
        ref = {m: statistics.fmean(r[m] for r in runs if r["scenario"] == scenario and r["scale"] == 1.0)
               for m in METRICS} if 1.0 in scales else {}
        for scale in scales:
            mine = [r for r in runs if r["scenario"] == scenario and r["scale"] == scale]
            for m in METRICS:
                values = [r[m] for r in mine]
                mean = statistics.fmean(values)
                se = statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else float("nan")
                ratio = mean / ref[m] if ref.get(m) else float("nan")
                target = TARGETS.get((scenario, m))
                ok = None if target is None or scale == 1.0 or ratio != ratio else abs(ratio - 1) <= target
                rows.append({"scenario": scenario, "scale": scale, "metric": m, "mean": mean, "se": se,
                             "ratio": ratio, "target": target, "within": ok})
    return rows


def report(rows: list[dict]) -> None:
    print(f"{'scenario':<9} {'scale':>5} {'metric':<18} {'mean':>10} {'± se':>8} {'/ scale 1':>9}  target")
    for r in rows:
        verdict = "" if r["within"] is None else ("ok" if r["within"] else "MISSED")
        target = f"±{r['target']:.0%} {verdict}" if r["target"] is not None and r["scale"] != 1.0 else ""
        print(f"{r['scenario']:<9} {r['scale']:>5} {r['metric']:<18} {r['mean']:>10.3f} {r['se']:>8.3f} "
              f"{r['ratio']:>9.3f}  {target}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=float, nargs="+", default=[1.0, 0.3, 0.1])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (one run each)")
    args = ap.parse_args(argv)
    jobs = [(sc, scale, seed, args.days) for sc in SCENARIOS for scale in args.scales for seed in args.seeds]
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            runs = list(pool.map(one_run, jobs))
    else:
        runs = [one_run(j) for j in jobs]
    for r in runs:
        print(f"  {r['scenario']:<9} scale {r['scale']:<4} seed {r['seed']}: {r['population']:>9,} residents, "
              + ", ".join(f"{m} {r[m]:.3f}" for m in METRICS), flush=True)
    rows = table(runs, args.scales)
    report(rows)
    for scale in args.scales:  # what the smaller scale saves (runs in parallel share the cores)
        mine = [r for r in runs if r["scale"] == scale]
        print(f"scale {scale:>4}: {statistics.fmean(r['population'] for r in mine):>11,.0f} residents simulated, "
              f"{statistics.fmean(r['runtime_s'] for r in mine):6.2f} s a run")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"args": vars(args), "runs": runs, "table": rows}, indent=1, default=str))
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
