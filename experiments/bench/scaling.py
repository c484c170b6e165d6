"""Scaling benchmark: a Hulunbuir year at several scales, each in a fresh child on one core.

Prints wall time (best and median of the repeats) and peak RSS per scale, the full-scale
figures against the targets (<= 15 s, <= 2 GB) and the ratios time(1)/time(0.1) and
memory(1)/memory(0.1) (target <= 11), and writes ``results/bench/scaling.json`` and the
figure ``results/bench/scaling.png``.

Run: ``python -m experiments.bench.scaling [--scales 0.01 0.1 0.3 1] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from pathlib import Path

from experiments.bench.measure import ROOT, baseline_rss, measure

OUT = ROOT / "results" / "bench"
TARGET_WALL_S = 15.0
TARGET_RSS_MB = 2048.0
TARGET_RATIO = 11.0


def bench(scales: list[float], repeats: int, days: int = 365) -> dict:
    """Best run time (and median) and median peak RSS of ``repeats`` runs at each scale.

    The best of several runs is the estimate of the cost on a quiet core (the machine is shared:
    other work only ever adds time); all runs are kept in ``run_s_all``.
    """
    rows = []
    for scale in scales:
        runs = [measure([f"scale={scale}", f"days={days}"]) for _ in range(repeats)]
        row = {
            "scale": scale,
            "population": runs[0]["population"],
            "disputes": runs[0]["disputes"],
            "run_s": min(r["run_s"] for r in runs),
            "run_s_median": statistics.median(r["run_s"] for r in runs),
            "run_s_all": [round(r["run_s"], 3) for r in runs],
            "run_cpu_s": min(r["run_cpu_s"] for r in runs),
            "process_s": min(r["process_s"] for r in runs),
            "rss_mb": statistics.median(r["rss_mb"] for r in runs),
        }
        row["ns_per_resident_day"] = row["run_s"] / (row["population"] * days) * 1e9
        rows.append(row)
        print(f"scale {scale:>5}: {row['population']:>9,} residents, {row['disputes']:>7,} disputes, "
              f"run {row['run_s']:6.2f} s best (median {row['run_s_median']:.2f}; "
              f"CPU {row['run_cpu_s']:.2f} s; process {row['process_s']:6.2f} s; "
              f"runs {row['run_s_all']}), "
              f"peak RSS {row['rss_mb']:7.1f} MB", flush=True)
    return {"days": days, "repeats": repeats, "rows": rows, "baseline_rss_mb": baseline_rss()}


def ratios(result: dict) -> dict:
    by_scale = {r["scale"]: r for r in result["rows"]}
    out = {}
    if 1.0 in by_scale and 0.1 in by_scale:
        one, tenth = by_scale[1.0], by_scale[0.1]
        base = result["baseline_rss_mb"]
        out = {
            "time_ratio": one["run_s"] / tenth["run_s"],
            "rss_ratio": one["rss_mb"] / tenth["rss_mb"],
            "rss_ratio_above_imports": (one["rss_mb"] - base) / max(tenth["rss_mb"] - base, 1e-9),
        }
    return out


def figure(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = result["rows"]
    x = [r["scale"] for r in rows]
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(8, 3.2), dpi=90)
    ax_t.plot(x, [r["run_s"] for r in rows], "o-", label="run (build + 365 days + tables), best")
    ax_t.plot(x, [r["run_cpu_s"] for r in rows], "^-", label="run, CPU time of its core")
    ax_t.plot(x, [r["process_s"] for r in rows], "s--", label="whole process (with imports)")
    ax_t.axhline(TARGET_WALL_S, color="grey", ls=":", label=f"target {TARGET_WALL_S:.0f} s")
    ax_t.set(xscale="log", xlabel="scale (share of 2.24 M residents)", ylabel="seconds (one core)",
             title="time against scale")
    ax_t.legend(fontsize=7)
    ax_m.plot(x, [r["rss_mb"] for r in rows], "o-", color="C2", label="peak RSS")
    ax_m.axhline(result["baseline_rss_mb"], color="C3", ls="--", label="imports only")
    ax_m.set(xscale="log", xlabel="scale", ylabel="peak RSS, MB", title="memory against scale",
             ylim=(0, None))
    ax_m.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.01, 0.1, 0.3, 1.0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per scale (best and median reported)")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--no-figure", action="store_true")
    parser.add_argument("--replot", action="store_true", help="redraw the figure from scaling.json")
    args = parser.parse_args()
    if args.replot:
        figure(json.loads((OUT / "scaling.json").read_text()), OUT / "scaling.png")
        return
    load = os.getloadavg()[0]
    result = bench(args.scales, args.repeats, args.days)
    result["load_before"], result["load_after"] = load, os.getloadavg()[0]
    print(f"load average (1 min) before {load:.1f}, after {result['load_after']:.1f} "
          f"on {os.cpu_count()} cores")
    result["ratios"] = ratios(result)
    print(f"imports alone: peak RSS {result['baseline_rss_mb']:.1f} MB")
    full = next((r for r in result["rows"] if r["scale"] == 1.0), None)
    if full is not None:
        ok_t = "meets" if full["run_s"] <= TARGET_WALL_S else "MISSES"
        ok_m = "meets" if full["rss_mb"] <= TARGET_RSS_MB else "MISSES"
        print(f"full-scale year: {full['run_s']:.2f} s run ({full['run_cpu_s']:.2f} s CPU), "
              f"{full['process_s']:.2f} s whole process "
              f"({ok_t} <= {TARGET_WALL_S:.0f} s); peak RSS {full['rss_mb']:.0f} MB ({ok_m} <= 2 GB); "
              f"{full['ns_per_resident_day']:.1f} ns per resident-day")
    if result["ratios"]:
        r = result["ratios"]
        print(f"time(1)/time(0.1) = {r['time_ratio']:.2f} (target <= {TARGET_RATIO:.0f}); "
              f"RSS(1)/RSS(0.1) = {r['rss_ratio']:.2f}, above imports {r['rss_ratio_above_imports']:.2f}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "scaling.json").write_text(json.dumps(result, indent=1))
    if not args.no_figure:
        figure(result, OUT / "scaling.png")
        print(f"figure: {OUT / 'scaling.png'}")


if __name__ == "__main__":
    main()
