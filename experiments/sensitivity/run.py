"""Which parameters drive which outcomes: Morris screening, then Sobol indices on the few that matter.

1. **Morris** (elementary effects, SALib) over every parameter in ``config.yaml``: r trajectories,
   r * (k + 1) runs. Each parameter's mu* per output is normalised by the largest mu* for that
   output, so outputs of different units can be compared.
2. **Sobol** (Saltelli sampling, first-order S1 and total ST) on the ``top`` parameters: each
   output's most influential one, then the largest normalised mu*; the others stay at the baseline.

Every run is a normal run (``sim.run.run``, the scenario composed once) of the demo county with one seed, so the sampled
parameters are the only thing that varies; runs go out in parallel with joblib. Writes
``morris.csv``, ``sobol.csv``, the runs' outputs, figures and ``report.md`` under ``out``.

Run: ``python -m experiments.sensitivity.run [--out DIR] [--publish DIR] [key=value ...]``: a fresh
``results/sensitivity/<date>_<time>/`` (or ``--out DIR``, new or empty); ``--publish DIR`` also
copies ``report.md`` and the figures into DIR (e.g. ``results/sensitivity``, the committed report).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from omegaconf import DictConfig
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from experiments.cli import Parser, load_settings, need, output_folder, publish, run_main, shown
from sim.records import flow_counts, reached_a_centre

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TIERS = ("village", "township", "banner", "city")



def arguments(prog: str, doc: str, settings: Path, out_help: str, publish_help: str, argv: list[str]):
    """The tool's command line (``--help`` runs nothing)."""
    parser = Parser(prog=prog, description=doc.strip().splitlines()[0],
                    epilog=f"Settings: any key of {settings.name} as key=value; unknown keys are refused.")
    parser.add_argument("--out", help=out_help)
    parser.add_argument("--publish", metavar="PATH", help=publish_help)
    parser.add_argument("overrides", nargs="*", help="key=value settings, e.g. morris.trajectories=4 n_jobs=2")
    return parser.parse_args(argv)


def load_config(argv: list[str] | None = None) -> DictConfig:
    """``config.yaml`` with ``key=value`` overrides, each checked (unknown keys, kinds, ranges)."""
    cfg = load_settings(HERE / "config.yaml", list(argv or []))
    need(cfg, "n_jobs", cfg.n_jobs == -1 or cfg.n_jobs >= 1, "must be >= 1 (processes) or -1 (all cores)")
    need(cfg, "morris.trajectories", cfg.morris.trajectories >= 2, "must be >= 2")
    need(cfg, "morris.levels", cfg.morris.levels >= 2 and cfg.morris.levels % 2 == 0, "must be an even number >= 2")
    need(cfg, "sobol.n", cfg.sobol.n >= 2 and (cfg.sobol.n & (cfg.sobol.n - 1)) == 0, "must be a power of 2 (>= 2)")
    need(cfg, "sobol.top", cfg.sobol.top >= 1, "must be >= 1")
    unknown = [k for k in cfg.keep if k not in cfg.parameters]
    need(cfg, "keep", not unknown, f"names no parameter of config.yaml: {', '.join(map(str, unknown))}")
    return cfg


def problem(names: list[str], bounds: dict) -> dict:
    return {"num_vars": len(names), "names": names, "bounds": [list(bounds[n]) for n in names]}


def baseline(scenario: list[str]) -> dict:
    """The calibrated per-tier lists the derived parameters (shift, scale) act on."""
    from sim.api import compose_config
    from sim.hydra_conf import to_config

    cfg = to_config(compose_config(scenario))
    return {"success": list(cfg.mediation.success), "service_days": list(cfg.mediation.service_days)}


def assignments(values: dict[str, float], base: dict) -> dict[str, object]:
    """Dotted config keys and values for one sample (derived parameters expanded to the tier lists)."""
    out: dict[str, object] = {}
    for name, v in values.items():
        v = float(v)
        if name == "mediation.success_shift":
            out["mediation.success"] = [min(0.999, max(0.05, b + v)) for b in base["success"]]
        elif name == "mediation.service_scale":
            out["mediation.service_days"] = [b * v for b in base["service_days"]]
        else:
            out[name] = v
    return out


_BASE: dict[tuple, object] = {}


def configure(scenario: list[str], values: dict[str, object], seed: int):
    """The typed scenario (composed once per process) with the sample's values set and checked."""
    import copy

    from sim.api import compose_config
    from sim.checks import check
    from sim.hydra_conf import to_config

    key = tuple(scenario)
    if key not in _BASE:
        _BASE[key] = to_config(compose_config(scenario))
    cfg = copy.deepcopy(_BASE[key])
    cfg.seed = seed
    for dotted, value in values.items():
        *parents, leaf = dotted.split(".")
        node = cfg
        for p in parents:
            node = getattr(node, p)
        if not hasattr(node, leaf):
            raise KeyError(f"unknown parameter {dotted!r}")
        setattr(node, leaf, value)
    return check(cfg)


def outputs(result) -> dict[str, float]:
    """The outputs analysed, from one run's tables."""
    d = result.disputes
    flows = flow_counts(result.visits)  # one helper for every count of mediation and escalation
    mediated = reached_a_centre(result.visits, len(d))
    return {
        "mediated_cases": float(flows["mediated_cases"]),
        "mean_wait_days": float(d.loc[mediated, "wait_days"].mean()) if mediated.any() else 0.0,
        "escalations": float(flows["escalations"]),
        "criminal": float(result.summary["disputes"]["criminal"]),
        "satisfaction": float(result.summary["satisfaction"]),
    }


def run_sample(scenario: list[str], values: dict[str, object], seed: int, run_dir: str) -> dict:
    """One normal run (``sim.run.run``) of the sample; its outputs."""
    from sim.run import run

    result = run(configure(scenario, values, seed), run_dir)
    out = outputs(result)
    shutil.rmtree(run_dir, ignore_errors=True)
    return out


def evaluate(cfg: DictConfig, names: list[str], X: np.ndarray, base: dict, parallel: Parallel,
             workdir: Path, tag: str) -> pd.DataFrame:
    scenario = list(cfg.scenario)
    jobs = [assignments(dict(zip(names, row)), base) for row in X]
    rows = parallel(delayed(run_sample)(scenario, ov, cfg.seed, str(workdir / f"{tag}{i}"))
                    for i, ov in enumerate(jobs))
    frame = pd.DataFrame(X, columns=names)
    return pd.concat([frame, pd.DataFrame(rows)], axis=1)


def morris(cfg: DictConfig, parallel: Parallel, base: dict, workdir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    names = list(cfg.keep) if cfg.get("keep") else list(cfg.parameters)
    prob = problem(names, cfg.parameters)
    X = morris_sample.sample(prob, cfg.morris.trajectories, num_levels=cfg.morris.levels, seed=cfg.seed)
    runs = evaluate(cfg, names, X, base, parallel, workdir, "m")
    rows = []
    for out in cfg.outputs:
        Y = runs[out].to_numpy(float)
        res = morris_analyze.analyze(prob, X, Y, num_levels=cfg.morris.levels, seed=cfg.seed)
        top = max(float(np.max(res["mu_star"])), 1e-12)
        for i, n in enumerate(names):
            rows.append({"output": out, "parameter": n, "mu": float(res["mu"][i]),
                         "mu_star": float(res["mu_star"][i]), "sigma": float(res["sigma"][i]),
                         "mu_star_conf": float(res["mu_star_conf"][i]),
                         "mu_star_norm": float(res["mu_star"][i]) / top})
    return runs, pd.DataFrame(rows)


def pick_top(table: pd.DataFrame, k: int) -> list[str]:
    """Up to k parameters: each output's most influential one (largest mu*), then the largest
    normalised mu* over all outputs."""
    chosen: list[str] = []
    for _, t in table.groupby("output", sort=False):
        best = t.sort_values("mu_star", ascending=False)["parameter"].iloc[0]
        if best not in chosen:
            chosen.append(best)
    score = table.groupby("parameter")["mu_star_norm"].max().sort_values(ascending=False)
    chosen += [p for p in score.index if p not in chosen]
    return chosen[:k]


def sobol(cfg: DictConfig, parallel: Parallel, base: dict, names: list[str],
          workdir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    prob = problem(names, cfg.parameters)
    X = sobol_sample.sample(prob, cfg.sobol.n, calc_second_order=False, seed=cfg.seed)
    runs = evaluate(cfg, names, X, base, parallel, workdir, "s")
    rows = []
    for out in cfg.outputs:
        Y = runs[out].to_numpy(float)
        if np.allclose(Y, Y[0]):
            res = {k: np.zeros(len(names)) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            res = sobol_analyze.analyze(prob, Y, calc_second_order=False, seed=cfg.seed)
        for i, n in enumerate(names):
            rows.append({"output": out, "parameter": n, **{k: float(res[k][i]) for k in ("S1", "S1_conf", "ST", "ST_conf")}})
    return runs, pd.DataFrame(rows)


def figures(out: Path, morris_table: pd.DataFrame, sobol_table: pd.DataFrame, outputs_: list[str]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = []
    pivot = morris_table.pivot(index="parameter", columns="output", values="mu_star_norm")[outputs_]
    pivot = pivot.loc[pivot.max(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(pivot) + 1.8))
    im = ax.imshow(pivot.to_numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=1)
    ax.set_xticks(range(len(outputs_)), [o.replace("_", " ") for o in outputs_], rotation=20, ha="right")
    ax.set_yticks(range(len(pivot)), pivot.index)
    for (i, j), v in np.ndenumerate(pivot.to_numpy()):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7, color="w" if v < 0.6 else "k")
    fig.colorbar(im, ax=ax, label="mu* / largest mu* for the output")
    ax.set_title("Morris screening: mu* / largest mu* per output\n(demo county, one year)", fontsize=10)
    fig.tight_layout()
    fig.savefig(out / "morris.png", dpi=110)
    plt.close(fig)
    files.append("morris.png")

    fig, axes = plt.subplots(1, len(outputs_), figsize=(3.2 * len(outputs_), 3.4), sharey=True)
    for ax, o in zip(np.atleast_1d(axes), outputs_):
        t = sobol_table[sobol_table["output"] == o]
        y = np.arange(len(t))
        ax.barh(y - 0.2, t["S1"], 0.4, xerr=t["S1_conf"], label="S1 (first order)", color="#4c72b0")
        ax.barh(y + 0.2, t["ST"], 0.4, xerr=t["ST_conf"], label="ST (total)", color="#dd8452")
        ax.set_yticks(y, t["parameter"])
        ax.set_xlim(-0.1, 1.1)
        ax.set_title(o.replace("_", " "), fontsize=10)
        ax.set_xlabel("Sobol index")
    handles, labels = np.atleast_1d(axes)[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="upper right")
    fig.suptitle("Sobol indices (95% bootstrap intervals) of the screened parameters")
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    fig.savefig(out / "sobol.png", dpi=110)
    plt.close(fig)
    files.append("sobol.png")
    return files


def _noise_sentences(sobol_table: pd.DataFrame, outputs: list[str]) -> list[str]:
    """What the Sobol table says about noise, computed from it: indices whose 95% interval reaches 0,
    and outputs whose total indices add up to well above 1 (interactions or Poisson noise)."""
    lines = []
    for o in outputs:
        t = sobol_table[sobol_table["output"] == o]
        if t.empty:
            continue
        zero = t.loc[t["ST"] - t["ST_conf"] <= 0, "parameter"].tolist()
        total = float(t["ST"].sum())
        parts = []
        if zero:
            parts.append("total index not distinguishable from zero (95% interval reaches 0) for "
                         + ", ".join(f"`{z}`" for z in zero))
        if total > 1.2:
            parts.append(f"total indices add up to {total:.2f}: interactions, or seed noise on a small count")
        if parts:
            lines.append(f"- {o.replace('_', ' ')}: " + "; ".join(parts) + ".")
    return lines or ["- Every total index's 95% interval excludes 0, and no output's total indices add up to more than 1.2."]


def report(out: Path, cfg: DictConfig, morris_table: pd.DataFrame, sobol_table: pd.DataFrame,
           top: list[str], n_runs: dict, seconds: float, argv: list[str], runs: pd.DataFrame) -> None:
    lines = [
        "# Sensitivity analysis: which parameters drive which outcomes",
        "",
        f"Command: `python -m experiments.sensitivity.run {' '.join(argv)}`".rstrip() + " "
        f"(experiments/sensitivity/config.yaml). Scenario: `{' '.join(cfg.scenario)}`, seed {cfg.seed} for every "
        f"run, calibrated defaults (scenarios/calibration/). Morris: {cfg.morris.trajectories} trajectories, "
        f"{n_runs['morris']} runs; Sobol (Saltelli, N={cfg.sobol.n}): {n_runs['sobol']} runs; "
        f"{seconds / 60:.1f} min on {cfg.n_jobs} processes.",
        "",
        "## Parameters that matter most, per output",
        "",
        "| output | Morris: top 3 (normalised mu*) | Sobol: largest total index ST (S1) |",
        "| --- | --- | --- |",
    ]
    for o in cfg.outputs:
        m = morris_table[morris_table["output"] == o].sort_values("mu_star_norm", ascending=False).head(3)
        s = sobol_table[sobol_table["output"] == o].sort_values("ST", ascending=False).head(2)
        lines.append(f"| {o} | " + ", ".join(f"`{r.parameter}` {r.mu_star_norm:.2f}" for r in m.itertuples())
                     + " | " + ", ".join(f"`{r.parameter}` {r.ST:.2f} ({r.S1:.2f})" for r in s.itertuples()) + " |")
    lines += [
        "",
        f"Sobol was run on {len(top)} parameters (each output's most influential, then the largest normalised mu*): "
        + ", ".join(f"`{t}`" for t in top) + ". The others were held at the calibrated baseline.",
        "",
        "![Morris screening](morris.png)",
        "",
        "![Sobol indices](sobol.png)",
        "",
        "## Reading",
        "",
        "mu* is the mean absolute change of an output when a parameter moves one step of its range "
        "(Morris); sigma large against mu* means the effect depends on the other parameters (interaction "
        "or non-linearity). S1 is the share of an output's variance a parameter explains alone, ST the share "
        "including its interactions. One seed is used throughout, so run-to-run noise is part of what "
        "the indices see.",
        "",
        "Outputs over the Sobol runs (mean, 5th-95th percentile): "
        + "; ".join(f"{o.replace('_', ' ')} {runs[o].mean():.4g} ({runs[o].quantile(0.05):.4g}-{runs[o].quantile(0.95):.4g})"
                    for o in cfg.outputs) + ".",
        "",
    ]
    lines += _noise_sentences(sobol_table, list(cfg.outputs))
    lines += [
        "",
        "## Ranges",
        "",
        "| parameter | low | high |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{n}` | {b[0]} | {b[1]} |" for n, b in cfg.parameters.items()]
    lines += ["", "Tables: `morris.csv`, `sobol.csv`; every run's inputs and outputs: `morris_runs.csv`, `sobol_runs.csv`.", ""]
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str]) -> Path:
    args = arguments("python -m experiments.sensitivity.run", __doc__, HERE / "config.yaml",
                     "folder for the tables, figures and report (new or empty; default "
                     "results/sensitivity/<date>_<time>)",
                     "also copy report.md and the figures into this folder (e.g. results/sensitivity)", argv)
    cfg = load_config(args.overrides)
    out = output_folder(args.out, "--out", Path("results") / "sensitivity")
    workdir = Path(tempfile.mkdtemp(prefix="sensitivity-"))
    started = time.perf_counter()
    base = baseline(list(cfg.scenario))
    with Parallel(n_jobs=cfg.n_jobs) as parallel:
        m_runs, m_table = morris(cfg, parallel, base, workdir)
        top = pick_top(m_table, cfg.sobol.top)
        s_runs, s_table = sobol(cfg, parallel, base, top, workdir)
    shutil.rmtree(workdir, ignore_errors=True)
    m_runs.to_csv(out / "morris_runs.csv", index=False)
    s_runs.to_csv(out / "sobol_runs.csv", index=False)
    m_table.to_csv(out / "morris.csv", index=False)
    s_table.to_csv(out / "sobol.csv", index=False)
    files = figures(out, m_table, s_table, list(cfg.outputs))
    report(out, cfg, m_table, s_table, top, {"morris": len(m_runs), "sobol": len(s_runs)},
           time.perf_counter() - started, args.overrides, s_runs)
    print(f"report -> {shown(out / 'report.md')} ({time.perf_counter() - started:.0f} s)")
    if args.publish:
        for copy in publish([out / "report.md", *(out / f for f in files)], args.publish):
            print(f"published: {copy}")
    return out


if __name__ == "__main__":
    run_main(main)
