"""Read every run folder of a sweep into tidy tables, with means and 95% CIs across seeds.

``python -m experiments.aggregate SWEEP_DIR`` writes into ``SWEEP_DIR/aggregate/`` (never over a
run's own files, even when ``SWEEP_DIR`` is a single run folder):

- ``runs.parquet``: one row per run: the swept settings (from each run's
  ``.hydra/overrides.yaml``) and the run's figures (:data:`METRICS`);
- ``models.parquet`` / ``banners.parquet``: one row per run and place model / banner;
- ``aggregate.parquet``: one row per setting and figure: ``n, mean, sd, sem, ci_low, ci_high``
  (Student t interval across replications, :func:`ci_table`);
- ``skipped.csv``: run folders left out and why (not finished, a table missing or cut short,
  left by an earlier sweep with other overrides: :mod:`experiments.runs`).

Works the same on any folder of run folders: a ``python -m sim -m ...`` sweep, an experiment's
sweep, or one run.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf
from scipy import stats

from experiments.cli import Parser, refuse, run_main, say
from experiments.runs import OUTPUT, Skipped, sweep_runs
from sim.config import TIERS
from sim.records import flow_counts, reached_a_centre
from sim.results import Result, read_run

METRICS = {
    "created": "disputes created",
    "resolved": "disputes resolved",
    "litigated": "disputes litigated (court)",
    "criminal": "criminal cases (civil-to-criminal)",
    "withdrawn": "disputes withdrawn",
    "pending": "pending at the end (backlog)",
    "police_incidents": "police call-outs",
    "escalations": "escalations (tier climbs)",
    "wait_village": "mean wait at village centres (days)",
    "wait_township": "mean wait at township centres (days)",
    "backlog": "mean daily queue at all centres (cases)",
    "satisfaction": "mean satisfaction (0-1)",
    "cost_per_resolved": "staff cost per resolved dispute (yuan)",
    "resolved_grid_share": "share resolved on the spot (grid)",
    "escalated_share": "share that left the grassroots (township and up, police, court)",
}
"""The headline figures of a run (column: label with unit) that reports plot."""


def parse_overrides(run_dir: Path) -> dict[str, str]:
    """``key -> value`` from a run's ``.hydra/overrides.yaml`` (``+``/``++`` prefixes dropped)."""
    path = Path(run_dir) / ".hydra" / "overrides.yaml"
    if not path.exists():
        return {}
    out = {}
    for line in OmegaConf.to_container(OmegaConf.load(path)):
        key, _, value = str(line).partition("=")
        out[key.lstrip("+~")] = value
    return out


def run_metrics(r: Result) -> dict[str, float]:
    """The figures of one run, flat: summary keys plus figures computed from its tables."""
    s = r.summary
    d = s["disputes"]
    out: dict[str, float] = {k: d[k] for k in ("created", "resolved", "litigated", "criminal", "withdrawn", "pending")}
    for t, n in s["resolved_at"].items():
        out[f"resolved_{t}"] = n
    for t in TIERS:
        out[f"wait_{t}"] = s["mean_wait_days"][t]
        out[f"utilisation_{t}"] = s["utilisation"][t]
    for k in ("police_incidents", "petitions", "mediated_cases", "mediation_success_rate", "satisfaction",
              "fraud_cases_per_day", "grid_workers", "mediators", "police_officers", "cost_per_resolved"):
        out[k] = s.get(k, np.nan)
    out["cost_total"] = s.get("cost", {}).get("total", np.nan)
    for k, n in s.get("detected_by", {}).items():
        out[f"detected_by_{k}"] = n
    out["escalations"] = float(r.banners["escalations"].sum())
    daily = r.daily[r.daily["tier"].isin(TIERS)]
    out["backlog"] = float(daily.groupby("day")["queue_length"].sum().mean()) if len(daily) else np.nan
    created = max(d["created"], 1)
    out["resolved_grid_share"] = s["resolved_at"].get("grid", 0) / created
    out["escalated_share"] = float(_left_grassroots(r).mean()) if len(r.disputes) else np.nan
    return {k: (np.nan if v is None else float(v)) for k, v in out.items()}


def _left_grassroots(r: Result) -> np.ndarray:
    """Per dispute: did it leave the grassroots (a township or higher centre, the police, a court)?

    Read from the visits (one record of every hop), not from the ``path`` text."""
    left = np.zeros(len(r.disputes), dtype=bool)
    v = r.visits
    if v is not None and len(v):
        high = v["agency"].isin(["township", "banner", "city", "police", "court"]).to_numpy()
        left[v["dispute_id"].to_numpy()[high]] = True
    return left


def _groups(r: Result, by: str) -> list[tuple[str, pd.Series]]:
    """Per group of disputes (a place model in one run): counts from the visits by one helper."""
    d = r.disputes
    code, names = pd.factorize(d[by])
    flows = flow_counts(r.visits, len(names), code)
    left = _left_grassroots(r)
    mediated = reached_a_centre(r.visits, len(d))
    out = []
    for j, name in enumerate(names):
        x = code == j
        g = d[x]
        med = x & mediated
        out.append((name, pd.Series({
            "created": int(x.sum()),
            "resolved": int((g["outcome"] == "resolved").sum()),
            "litigated": int((g["outcome"] == "litigated").sum()),
            "criminal": int((g["outcome"] == "criminal").sum()),
            "police_incidents": int(flows["police_incidents"][j]),
            "wait_mediated": float(d.loc[med, "wait_days"].mean()) if med.any() else np.nan,
            "resolved_grid_share": float((g["resolved_tier"] == "grid").mean()) if len(g) else np.nan,
            "escalated_share": float(left[x].mean()) if x.any() else np.nan,
            "satisfaction": float(g["satisfaction"].mean()),
        })))
    return out


def _read(run_dir: Path, root: Path) -> tuple[dict, list[dict], list[dict]]:
    """One run's rows of the runs, models and banners tables."""
    r = read_run(run_dir)
    keys = parse_overrides(run_dir)
    keys.setdefault("seed", str(r.summary["seed"]))
    base = {"run": str(run_dir.relative_to(root)) or ".", **keys}
    run = {**base, **run_metrics(r)}
    models = [{**base, "model": m, **row} for m, row in _groups(r, "model")]
    b = r.banners.drop(columns=["name_zh", "code"], errors="ignore").rename(columns={"model": "banner_model"})
    banners = [{**base, **row} for row in b.to_dict("records")]
    return run, models, banners


def collect(root: str | Path) -> dict[str, pd.DataFrame]:
    """The tidy tables of a sweep: ``runs``, ``models``, ``banners`` and ``skipped`` (module doc).

    A run folder that cannot be read (cut short, a summary without the figures, a broken
    overrides file) is skipped and listed, never a reason to abort the others.

    Raises:
        BadInput: ``root`` is not a folder, or holds no usable run folder.
    """
    root = Path(root)
    if not root.is_dir():
        refuse("sweep folder", "no such folder" if not root.exists() else "not a folder", str(root))
    usable, skipped = sweep_runs(root)
    runs, models, banners = [], [], []
    for run_dir in usable:
        try:
            run, m, b = _read(run_dir, root)
        except Exception as exc:  # noqa: BLE001 - one broken run never aborts the aggregation
            text = str(exc).splitlines()[0][:100] if str(exc) else ""
            skipped.append(Skipped(str(run_dir.relative_to(root)) or ".", f"unreadable ({type(exc).__name__}: {text})"))
            continue
        runs.append(run)
        models += m
        banners += b
    skipped_frame = pd.DataFrame([s.__dict__ for s in skipped], columns=["run", "reason"])
    if not runs:
        reasons = "; ".join(f"{s.run}: {s.reason}" for s in skipped[:3])
        refuse("sweep folder", "no finished run folder found (a run folder holds summary.json and its tables)"
               + (f"; skipped {len(skipped)}: {reasons}" if skipped else ""), str(root))
    frame = pd.DataFrame(runs)
    counts = [c for c in frame.columns if c.startswith("detected_by_")]
    frame[counts] = frame[counts].fillna(0.0)  # a channel no dispute came through: zero, not missing
    return {"runs": frame, "models": pd.DataFrame(models), "banners": pd.DataFrame(banners),
            "skipped": skipped_frame}


def swept(runs: pd.DataFrame) -> list[str]:
    """Setting columns that vary across runs, except the seed (the replication index)."""
    keys = [c for c in runs.columns if c not in ("run", "seed", "banner", "model", "banner_model")
            and not pd.api.types.is_numeric_dtype(runs[c])]
    return [c for c in keys if runs[c].nunique(dropna=False) > 1]


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, sample sd, and the Student t interval of the mean (``nan`` bounds when n < 2)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return (math.nan,) * 4
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan, math.nan
    sd = float(x.std(ddof=1))
    if sd == 0:
        return mean, 0.0, mean, mean
    low, high = stats.t.interval(level, n - 1, loc=mean, scale=sd / math.sqrt(n))
    return mean, sd, float(low), float(high)


def ci_table(df: pd.DataFrame, by: list[str], metrics: list[str] | None = None, level: float = 0.95) -> pd.DataFrame:
    """One row per group and metric: ``n, mean, sd, sem, ci_low, ci_high`` across replications."""
    metrics = metrics or [c for c in df.columns if c not in by and c not in ("run", "seed")
                          and pd.api.types.is_numeric_dtype(df[c])]
    rows = []
    groups = df.groupby(by, sort=False, dropna=False) if by else [((), df)]
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        for m in metrics:
            x = g[m].to_numpy(float)
            mean, sd, low, high = t_interval(x, level)
            n = int(np.isfinite(x).sum())
            rows.append({**dict(zip(by, key)), "metric": m, "n": n, "mean": mean, "sd": sd,
                         "sem": sd / math.sqrt(n) if n > 1 else math.nan, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def paired_differences(df: pd.DataFrame, key: str, reference: str, metrics: list[str],
                       extra: list[str] | None = None, level: float = 0.95) -> pd.DataFrame:
    """Each setting of ``key`` minus ``reference``, seed by seed (common random numbers), with CIs.

    Pairing by seed removes the arrival noise both runs share, so the interval of the
    difference is narrower than the two separate intervals suggest.
    """
    extra = extra or []
    ref = df[df[key] == reference].set_index(["seed", *extra])
    rows = []
    for setting, g in df[df[key] != reference].groupby(key, sort=False):
        g = g.set_index(["seed", *extra])
        common = g.index.intersection(ref.index)
        for m in metrics:
            diff = (g.loc[common, m] - ref.loc[common, m]).to_numpy(float)
            if extra:
                for ek, sub in pd.Series(diff, index=common).groupby(level=extra):
                    mean, _, low, high = t_interval(sub.to_numpy(), level)
                    ek = ek if isinstance(ek, tuple) else (ek,)
                    rows.append({key: setting, **dict(zip(extra, ek)), "metric": m, "n": len(sub), "mean_diff": mean,
                                 "ci_low": low, "ci_high": high})
            else:
                mean, _, low, high = t_interval(diff, level)
                rows.append({key: setting, "metric": m, "n": len(diff), "mean_diff": mean, "ci_low": low,
                             "ci_high": high})
    return pd.DataFrame(rows)


def aggregate(root: str | Path, by: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Collect a sweep, write its tables into ``root/aggregate/`` (module doc), return them."""
    root = Path(root)
    tables = collect(root)
    runs = tables["runs"]
    by = by if by is not None else swept(runs)
    missing = [k for k in by if k not in runs.columns]
    if missing:
        refuse("--by", f"not a setting of these runs (settings: {', '.join(swept(runs)) or 'none'})", missing[0])
    tables["aggregate"] = ci_table(runs, by)
    out = root / OUTPUT
    out.mkdir(exist_ok=True)
    for name, df in tables.items():
        if name == "skipped":
            df.to_csv(out / "skipped.csv", index=False)
        else:
            df.to_parquet(out / f"{name}.parquet", index=False)
    return tables


def read_tables(root: str | Path) -> dict[str, pd.DataFrame]:
    """The tables :func:`aggregate` saved for a sweep folder."""
    out = Path(root) / OUTPUT
    if not (out / "runs.parquet").is_file():
        refuse("sweep folder", f"not aggregated yet (no {OUTPUT}/runs.parquet): run python -m "
               "experiments.aggregate on it first", str(root))
    return {n: pd.read_parquet(out / f"{n}.parquet") for n in ("runs", "models", "banners", "aggregate")}


def report_skipped(skipped: pd.DataFrame) -> None:
    """List skipped run folders on stderr (one line each, at most ten)."""
    if skipped.empty:
        return
    say(f"skipped {len(skipped)} run folder(s):")
    for row in skipped.head(10).itertuples():
        print(f"  {row.run}: {row.reason}", file=sys.stderr)
    if len(skipped) > 10:
        print(f"  ... and {len(skipped) - 10} more (see aggregate/skipped.csv)", file=sys.stderr)


def main(argv: list[str]) -> Path:
    parser = Parser(prog="python -m experiments.aggregate", description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", help="a sweep folder (run folders at any depth below it), or one run folder")
    parser.add_argument("--by", nargs="*", help="settings to group by (default: those that vary, seed excepted)")
    args = parser.parse_args(argv)
    tables = aggregate(args.sweep_dir, args.by)
    agg = tables["aggregate"]
    with pd.option_context("display.width", 160, "display.max_rows", 200):
        print(agg[agg["metric"].isin(list(METRICS))].round(3).to_string(index=False))
    report_skipped(tables["skipped"])
    out = Path(args.sweep_dir) / OUTPUT
    print(f"wrote {out}/ ({len(tables['runs'])} runs, {len(tables['skipped'])} skipped)")
    return out


if __name__ == "__main__":
    run_main(main)
