"""Maps of a Hulunbuir run: per-banner choropleths, and differences between runs or sweeps.

``python -m experiments.map RUN_DIR [--vs OTHER_RUN_DIR] [--out DIR]``

RUN_DIR is one run folder (it holds ``summary.json``) or a sweep folder (every run folder
under it). Writes, in ``--out`` (default ``RUN_DIR/maps``):

- ``map.png``: the 14 banners coloured per 10,000 residents a year by disputes, police
  call-outs, civil-to-criminal conversions (民转刑), mean days to settlement and cost per
  resolved dispute; banner seats as squares; ``measures.csv`` / ``tables.xlsx``, the numbers.
- with ``--vs``: ``difference.png`` (RUN_DIR minus OTHER), and ``difference.csv`` with each
  banner's difference and its 95% CI over the runs (paired by seed when both sides have the
  same seeds, else Welch); banners whose CI includes zero are drawn pale and hatched.

Reads only the run contract: ``summary.json`` (``days``), ``banners.parquet`` (``code``,
``banner``, ``population``, ``created``, ``police_incidents``, ``criminal``,
``cost_per_resolved``) and ``disputes.parquet`` (``banner``, ``outcome``, ``created_day``,
``closed_day``). A measure whose columns a run lacks is left out, with a note.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from experiments.tables_io import write_tables


@dataclass(frozen=True)
class Measure:
    """A per-banner figure a map can show."""

    key: str
    title: str
    label: str
    per_10k: str | None = None  # banners.parquet column counted per 10,000 residents a year
    fmt: str = "{:.3g}"


MEASURES = (
    Measure("disputes_per_10k", "Disputes", "per 10,000 residents a year", "created"),
    Measure("callouts_per_10k", "Police call-outs", "per 10,000 residents a year", "police_incidents"),
    Measure("conversions_per_10k", "Civil-to-criminal conversions", "per 10,000 residents a year",
            "criminal"),
    Measure("settlement_days", "Time to settlement", "mean days, created to resolved"),
    Measure("cost_per_resolved", "Cost per resolved dispute", "yuan", fmt="{:,.0f}"),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)


class InputError(ValueError):
    """Bad input: printed as one line, exit status 2."""


def find_runs(path: Path, what: str) -> list[Path]:
    """The complete run folders at or under ``path`` (a run folder or a sweep folder)."""
    path = Path(path)
    if not path.is_dir():
        raise InputError(f"{what}: not a folder, got {str(path)!r}")
    if (path / "summary.json").is_file():
        return [path]
    runs = sorted(p.parent for p in path.rglob("summary.json"))
    if not runs:
        raise InputError(f"{what}: no complete run (no summary.json) in it, got {str(path)!r}")
    return runs


def banner_measures(run_dir: Path) -> pd.DataFrame:
    """Per banner (index: division code): name, population and the :data:`MEASURES` a run has."""
    run_dir = Path(run_dir)
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    banners = pd.read_parquet(run_dir / "banners.parquet")
    years = float(summary["days"]) / 365.0
    out = pd.DataFrame({"banner": banners["banner"].to_numpy(), "population": banners["population"].to_numpy()},
                       index=pd.Index(banners["code"].astype(str), name="code"))
    pop = banners["population"].to_numpy(float)
    for m in MEASURES:
        if m.per_10k and m.per_10k in banners:
            with np.errstate(divide="ignore", invalid="ignore"):
                out[m.key] = banners[m.per_10k].to_numpy(float) / pop * 1e4 / years
    if "cost_per_resolved" in banners:
        out["cost_per_resolved"] = banners["cost_per_resolved"].to_numpy(float)
    disputes = pd.read_parquet(run_dir / "disputes.parquet", columns=["banner", "outcome", "created_day", "closed_day"])
    done = disputes[disputes["outcome"] == "resolved"]
    days = (done["closed_day"] - done["created_day"]).groupby(done["banner"]).mean()
    out["settlement_days"] = days.reindex(out["banner"]).to_numpy(float)
    return out


def _seed(run_dir: Path) -> int | None:
    try:
        return int(json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))["seed"])
    except (KeyError, ValueError, OSError):
        return None


def difference(runs_a: list[Path], runs_b: list[Path]) -> pd.DataFrame:
    """Per banner and measure: mean of A, mean of B, A - B and its 95% CI (NaN with one run a side).

    Paired by seed (a paired t interval) when both sides hold the same seeds once each, which
    is how common random numbers are meant to be read; otherwise Welch's interval.
    """
    frames_a = {_seed(r): banner_measures(r) for r in runs_a}
    frames_b = {_seed(r): banner_measures(r) for r in runs_b}
    paired = (len(frames_a) == len(runs_a) and len(frames_b) == len(runs_b) and None not in frames_a
              and set(frames_a) == set(frames_b))
    first = next(iter(frames_a.values()))
    rows = []
    for key in MEASURE_KEYS:
        if not all(key in f for f in [*frames_a.values(), *frames_b.values()]):
            continue
        a = pd.concat({s: f[key] for s, f in frames_a.items()}, axis=1)
        b = pd.concat({s: f[key] for s, f in frames_b.items()}, axis=1).reindex(a.index)
        for code in a.index:
            xa, xb = a.loc[code].to_numpy(float), b.loc[code].to_numpy(float)
            if paired:
                d = xa - b.loc[code, list(a.columns)].to_numpy(float)
                lo, hi = _t_interval(d[np.isfinite(d)])
                diff = _mean(d)
            else:
                lo, hi = _welch(xa[np.isfinite(xa)], xb[np.isfinite(xb)])
                diff = _mean(xa) - _mean(xb)
            rows.append({"code": code, "banner": first.loc[code, "banner"], "measure": key,
                         "a_mean": _mean(xa), "b_mean": _mean(xb),
                         "difference": diff, "ci_low": lo, "ci_high": hi,
                         "runs_a": len(runs_a), "runs_b": len(runs_b), "paired": paired})
    return pd.DataFrame(rows)


def _mean(x: np.ndarray) -> float:
    """Mean of the finite values (NaN if none: a banner with no resolved dispute has no time)."""
    x = x[np.isfinite(x)]
    return float(x.mean()) if len(x) else float("nan")


def _t_interval(d: np.ndarray) -> tuple[float, float]:
    if len(d) < 2:
        return float("nan"), float("nan")
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return float(d.mean() - half), float(d.mean() + half)


def _welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    if len(a) < 2 or len(b) < 2:
        return float("nan"), float("nan")
    ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    return float(ci.low), float(ci.high)


def _check_hulunbuir(measures: pd.DataFrame, what: str) -> None:
    from sim.viz.maps import banner_outlines, match_codes

    missing = match_codes(banner_outlines(), list(measures.index))
    if missing:
        raise InputError(f"{what}: not a Hulunbuir run (banner codes without an outline: "
                         f"{', '.join(missing)}), got {len(measures)} banners")


def seats() -> tuple[list[float], list[float]]:
    """Banner seats (lat, lon) from the shipped banner table: where each banner's centre sits."""
    from sim.world.table import load_banner_table

    t = load_banner_table("hulunbuir")
    return list(t["seat_lat"].astype(float)), list(t["seat_lon"].astype(float))


def draw_run(runs: list[Path], out: Path, label: str) -> Path:
    """``map.png`` and the measures' tables for one run or the mean over a sweep's runs."""
    from sim.viz.maps import SOURCE, banner_outlines, panel_figure, points

    frames = [banner_measures(r) for r in runs]
    _check_hulunbuir(frames[0], "RUN_DIR")
    mean = pd.concat(frames).groupby(level=0, sort=False).mean(numeric_only=True)
    mean.insert(0, "banner", frames[0]["banner"])
    outlines = banner_outlines()
    panels = [{"values": mean[m.key], "title": m.title, "label": m.label, "fmt": m.fmt}
              for m in MEASURES if m.key in mean]
    left_out = [m.key for m in MEASURES if m.key not in mean]
    lat, lon = seats()
    caption = (f"{label}; {'mean of ' + str(len(runs)) + ' runs' if len(runs) > 1 else 'one run'}. "
               f"Squares: banner seats. Grey: no value. {SOURCE}."
               + (f" Not in this run's tables: {', '.join(left_out)}." if left_out else ""))
    fig = panel_figure(outlines, panels, "Hulunbuir by banner", caption, seats=points(lat, lon))
    out.mkdir(parents=True, exist_ok=True)
    path = out / "map.png"
    fig.savefig(path)
    write_tables(out, {"measures": mean.reset_index()}, workbook="measures")
    return path


def draw_difference(runs_a: list[Path], runs_b: list[Path], out: Path, label: str) -> Path:
    """``difference.png`` and ``difference.csv``/``.xlsx``: A - B per banner with 95% CIs."""
    from sim.viz.maps import SOURCE, banner_outlines, panel_figure

    table = difference(runs_a, runs_b)
    outlines = banner_outlines()
    panels = []
    for m in MEASURES:
        rows = table[table["measure"] == m.key].set_index("code")
        if rows.empty:
            continue
        ci_known = rows["ci_low"].notna()
        faint = ci_known & (rows["ci_low"] <= 0) & (rows["ci_high"] >= 0)
        panels.append({"values": rows["difference"], "title": f"{m.title}: difference", "label": m.label,
                       "diverging": True, "faint": faint if ci_known.any() else None, "fmt": "{:+.3g}"})
    how = ("paired by seed" if table["paired"].any() else "Welch") if len(runs_a) > 1 else "one run a side, no CI"
    caption = (f"{label}. Red: higher in the first. {len(runs_a)} vs {len(runs_b)} runs ({how}); "
               f"pale and hatched: the 95% CI includes zero. {SOURCE}.")
    fig = panel_figure(outlines, panels, "Difference by banner", caption)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "difference.png"
    fig.savefig(path)
    write_tables(out, {"difference": table}, workbook="difference")
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m experiments.map", description="Maps of a Hulunbuir run by banner.")
    p.add_argument("run_dir", type=Path, help="a run folder or a sweep folder")
    p.add_argument("--vs", type=Path, help="another run or sweep folder: map the difference")
    p.add_argument("--out", type=Path, help="output folder (default RUN_DIR/maps)")
    args = p.parse_args(argv)
    try:
        runs = find_runs(args.run_dir, "RUN_DIR")
        others = find_runs(args.vs, "--vs") if args.vs is not None else None
        out = args.out or args.run_dir / "maps"
        made = [draw_run(runs, out, str(args.run_dir))]
        if others is not None:
            _check_hulunbuir(banner_measures(others[0]), "--vs")
            made.append(draw_difference(runs, others, out, f"{args.run_dir} minus {args.vs}"))
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for path in made:
        print(f"map: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
