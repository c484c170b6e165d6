"""Write ``results/bench/report.md`` from the benchmarks' JSON figures in ``results/bench/``.

Run the benchmarks first (``scaling``, ``reference_mesa``, ``ciw_tandem``, ``sweep_speedup``,
``profile_year``), then ``python -m experiments.bench.report``. A benchmark not run yet is
reported as missing; notes on what a run measured (machine load) are passed with ``--note``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform

from experiments.bench.measure import ROOT

OUT = ROOT / "results" / "bench"


def _load(name: str):
    path = OUT / name
    return json.loads(path.read_text()) if path.exists() else None


def _ok(flag: bool) -> str:
    return "met" if flag else "**not met**"


def scaling_section(s: dict) -> list[str]:
    rows = s["rows"]
    lines = [
        "## Scaling: a Hulunbuir year against scale (one core)",
        "",
        f"Each run is a fresh child process pinned to one core (`taskset -c 0`, one BLAS thread), "
        f"all mechanisms on, 365 days; best of {s['repeats']} runs (the machine is shared: other work "
        f"only adds time), with the CPU time the run took on its core. Load average (1 min) "
        f"{s.get('load_before', float('nan')):.1f} before and {s.get('load_after', float('nan')):.1f} after "
        f"on 2 cores.",
        "",
        "| scale | residents | disputes | run, wall s (best) | median | run, CPU s | whole process s | peak RSS MB | ns per resident-day (wall) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(f"| {r['scale']:g} | {r['population']:,} | {r['disputes']:,} | {r['run_s']:.2f} | "
                     f"{r.get('run_s_median', r['run_s']):.2f} | {r.get('run_cpu_s', float('nan')):.2f} | "
                     f"{r['process_s']:.2f} | {r['rss_mb']:.0f} | {r['ns_per_resident_day']:.1f} |")
    lines += ["", f"Imports alone (Python, numpy, pandas, pyarrow, Mesa, SimPy, Hydra): peak RSS "
              f"{s['baseline_rss_mb']:.0f} MB.", "", "![time and memory against scale](scaling.png)", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--note", action="append", default=[], help="a line for the notes section")
    args = parser.parse_args()
    scaling, ref, ciw = _load("scaling.json"), _load("reference_mesa.json"), _load("ciw_tandem.json")
    sweep, prof = _load("sweep_speedup.json"), _load("profile_scale1.json")
    by_scale = {r["scale"]: r for r in scaling["rows"]} if scaling else {}
    full = by_scale.get(1.0)
    ratios = scaling.get("ratios", {}) if scaling else {}

    lines = [
        "# Benchmarks: a full-scale year in seconds, and sweeps",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, shared with other developers while measured. "
        "Reproduce with the commands in the README section \"Sweeps and scale\" "
        "(`python -m experiments.bench.<name>`, then `python -m experiments.bench.report`).",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
    ]
    if full:
        cpu = full.get("run_cpu_s", float("nan"))
        lines.append(f"| full-scale year <= 15 s on one core | {full['run_s']:.1f} s wall (best of "
                     f"{scaling['repeats']}; {full['process_s']:.1f} s with interpreter start and imports), "
                     f"{cpu:.1f} s CPU of its core | wall {_ok(full['run_s'] <= 15)}, "
                     f"CPU {_ok(cpu <= 15)} |")
        lines.append(f"| full-scale year <= 2 GB peak RSS | {full['rss_mb']:.0f} MB | {_ok(full['rss_mb'] <= 2048)} |")
    if ratios:
        lines.append(f"| time(1) / time(0.1) <= 11 | {ratios['time_ratio']:.1f} | {_ok(ratios['time_ratio'] <= 11)} |")
        lines.append(f"| memory(1) / memory(0.1) <= 11 | {ratios['rss_ratio']:.2f} (above imports "
                     f"{ratios['rss_ratio_above_imports']:.1f}) | {_ok(ratios['rss_ratio'] <= 11)} |")
    for r in ref or []:
        lines.append(f"| >= 100x plain Mesa per resident-day, scale {r['scale']:g} | {r['speedup']:.1f}x wall, "
                     f"{r.get('speedup_cpu', float('nan')):.1f}x CPU (days stepped, builds excluded on both "
                     f"sides) | {_ok(r['speedup'] >= 100)} |")
    if ciw:
        lines.append(f"| mediation per dispute at least as fast as Ciw | Ciw/ours = {ciw['ratio']:.2f}x | "
                     f"{_ok(ciw['ratio'] >= 1)} |")
    if sweep:
        lines.append(f"| 8 jobs on 2 cores >= 1.7x sequential | {sweep['speedup']:.2f}x | "
                     f"{_ok(sweep['speedup'] >= 1.7)} |")
    lines.append("")

    if scaling:
        lines += scaling_section(scaling)

    if ref:
        lines += [
            "## Against a per-agent reference in plain Mesa",
            "",
            "`experiments/bench/reference_mesa.py`: every resident a `mesa.Agent`, all stepped daily with "
            "`shuffle_do(\"step\")`, doing what Shouwang's arrays do (relaxation of tension and awareness, "
            "dispute arrival thinned by the resident's tension, grid workers' visits and the police "
            "campaign raising awareness, fraud attempts against awareness), same parameters and same "
            "starting state. The reference only counts the disputes it creates; Shouwang's day is the "
            "whole model (detection, mediation, police, court, the daily record), so the comparison "
            "favours the reference. The reference is stepped for ~9 million resident-days at each scale "
            "(80 days at 0.05, 4 days at full scale; its cost per day is flat); Shouwang steps the year. "
            "Both sides are timed alike: per resident-day is the days stepped over residents x days, each "
            "side's build excluded (the reference's build -- a Shouwang model for the starting state, then "
            "one Mesa agent per resident -- and Shouwang's world, residents and staff); a year adds each "
            "side's build to its 365 days (the reference's extrapolated from the days it stepped), and "
            "Shouwang's year also writes its tables and run folder.",
            "",
            "| scale | residents | reference ns per resident-day | Shouwang ns per resident-day | speed-up (wall) | speed-up (CPU) | reference build, year s | Shouwang build, whole run s | speed-up, a year | reference peak RSS | Shouwang peak RSS |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in ref:
            lines.append(f"| {r['scale']:g} | {r['residents']:,} | {r['reference_ns']:,.0f} | {r['ours_ns']:.1f} | "
                         f"{r['speedup']:.1f}x | {r.get('speedup_cpu', float('nan')):.1f}x | "
                         f"{r.get('reference_build_s', float('nan')):.2f}, {r.get('reference_year_s', float('nan')):,.0f} | "
                         f"{r.get('ours_build_s', float('nan')):.2f}, {r['ours_run_s']:.2f} | "
                         f"{r.get('speedup_year', float('nan')):.0f}x | "
                         f"{r['reference_rss_mb']:.0f} MB | {r['ours_rss_mb']:.0f} MB |")
        grows = all(a["speedup"] < b["speedup"] for a, b in zip(ref, ref[1:]))
        lines += [
            "",
            ("The speed-up grows with scale: " if grows else "The speed-up does not grow steadily with scale in "
             "this run (machine noise?), though ")
            + "Shouwang's cost per resident-day falls as its fixed daily work "
            "(a Poisson draw of talks for each of the 6,997 grids, the cumulative rates of 6,997 x 8 "
            "grid-kind cells, numpy calls of fixed cost) is shared by more residents, while the "
            "reference's grows a little (more cache misses per agent). At the smallest scale measured "
            f"({ref[0]['scale']:g}) the ratio is {ref[0]['speedup']:.0f}x, at the largest "
            f"({ref[-1]['scale']:g}) {ref[-1]['speedup']:.0f}x (target: 100x).",
            "",
        ]

    if ciw:
        lines += [
            "## The mediation layer against Ciw",
            "",
            f"`experiments/bench/ciw_tandem.py`: a 4-tier tandem (village -> township -> banner -> city), "
            f"Poisson arrivals at {ciw['arrival_rate']:g} disputes/day, {list(ciw['servers'])} mediators, "
            f"exponential sessions at {list(ciw['service_rate'])} per mediator-day, {ciw['horizon']:g} days, "
            f"median of {ciw['repeats']}. Ours is the engine's `sim.agents.MediationCentre` (a Mesa agent "
            f"holding a `simpy.Store` of Mediator agents) and its `serve()` session in a bare SimPy "
            f"environment; Ciw's is `ciw.Simulation`.",
            "",
            "| | us per dispute | disputes/s |",
            "| --- | ---: | ---: |",
            f"| Shouwang (SimPy store of Mesa mediators) | {ciw['ours_us']:.1f} | {1e6 / ciw['ours_us']:,.0f} |",
            f"| Ciw | {ciw['ciw_us']:.1f} | {1e6 / ciw['ciw_us']:,.0f} |",
            "",
            f"Ciw / ours = **{ciw['ratio']:.2f}x**.",
            "",
        ]

    if sweep:
        lines += [
            "## Sweeps",
            "",
            f"`experiments/bench/sweep_speedup.py`: the same `python -m sim -m seed=range(0,{sweep['jobs']})` "
            f"sweep (Hulunbuir scale {sweep['scale']:g}, {sweep['days']} days), whole command timed, with "
            f"Hydra's basic launcher (one after another) and with `hydra/launcher=parallel` (joblib, "
            f"{sweep['cores']} processes).",
            "",
            "| launcher | wall s |",
            "| --- | ---: |",
            f"| basic (sequential) | {sweep['sequential_s']:.1f} |",
            f"| joblib, {sweep['cores']} cores | {sweep['parallel_s']:.1f} |",
            "",
            f"Speed-up **{sweep['speedup']:.2f}x**, measured with a 1-minute load average of "
            f"{sweep.get('load_before', float('nan')):.1f} before and {sweep.get('load_after', float('nan')):.1f} "
            f"after on {os.cpu_count()} cores. The submitit launcher (`hydra/launcher=slurm`, tested "
            "with its local executor `slurm_local`) and resume are covered by `tests/e2e/test_sweeps.py`.",
            "",
        ]

    if prof:
        total = prof["profiled_s"]
        lines += [
            "## Where the time goes (cProfile, full scale)",
            "",
            f"`python -m experiments.bench.profile_year`: {prof['unprofiled_s']:.1f} s unprofiled, "
            f"{total:.1f} s under cProfile (which inflates per-call Python more than array work).",
            "",
            "| phase | s | share |",
            "| --- | ---: | ---: |",
        ]
        for label, t in prof["phases"]:
            lines.append(f"| {label.strip()} | {t:.2f} | {t / total:.0%} |")
        lines += ["", "Top functions by own time:", ""]
        for f in prof["top"][:10]:
            lines.append(f"- `{f['function']}`: {f['own_s']:.2f} s own, {f['cum_s']:.2f} s cumulative, "
                         f"{f['calls']:,} calls")
        lines.append("")

    lines += ["## Notes", ""] + [f"- {n}" for n in args.note] + [""]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.md").write_text("\n".join(lines))
    print(f"wrote {OUT / 'report.md'}")


if __name__ == "__main__":
    main()
