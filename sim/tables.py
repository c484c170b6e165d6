"""A finished model as the tables of the run contract: disputes, daily, banners and the summary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config import PLACE_MODELS, TIERS
from sim.costs import add_banner_costs, summary_costs
from sim.disputes import RESOLVED_AT
from sim.model import ShouwangModel

MEDIATION_TIERS = set(TIERS)


def disputes_frame(model: ShouwangModel) -> pd.DataFrame:
    w = model.world
    return model.ledger.to_frame(list(w.banners["name"]), list(w.townships["name"]), PLACE_MODELS)


def daily_frame(model: ShouwangModel) -> pd.DataFrame:
    df = pd.DataFrame(model.daily)
    df["fraud_cases"] = df.get("fraud_cases", pd.Series(0, index=df.index)).fillna(0).astype(np.int64)
    return df


def _mediated(path: pd.Series) -> np.ndarray:
    return path.str.contains("village|township|banner|city", regex=True).to_numpy()


def banners_frame(model: ShouwangModel, disputes: pd.DataFrame) -> pd.DataFrame:
    """The per-banner summary planners read: staff, flows, outcomes, waits, satisfaction."""
    w = model.world
    b = w.banners
    g = w.grids
    grid_banner = g["banner"].to_numpy()
    workers = np.bincount(grid_banner[[a.grid for a in model.workforce.agents]], minlength=len(b))
    mediators = np.zeros(len(b), dtype=np.int64)
    v_banner = w.villages["banner"].to_numpy()
    t_banner = w.townships["banner"].to_numpy()
    for i in np.unique(model.places.village_centre):
        mediators[v_banner[i]] += model.staff.villages[i].capacity
    for i in np.unique(model.places.township_centre):
        mediators[t_banner[i]] += model.staff.townships[i].capacity
    for i, c in enumerate(model.staff.banners):
        mediators[i] += c.capacity
    pop = np.bincount(grid_banner, weights=model.population.per_grid, minlength=len(b)).astype(np.int64)
    rows = []
    path = disputes["path"]
    mediated = _mediated(path)
    police = path.str.contains("police").to_numpy()
    escalations = np.maximum((path.str.count(">") - path.str.startswith("grid>").astype(int)).to_numpy(), 0)
    closed = (disputes["outcome"] != "pending").to_numpy()
    wait, satisfaction = disputes["wait_days"], disputes["satisfaction"]
    # each banner's disputes as row numbers, and per-banner counts of each outcome and tier
    # (one pass each instead of filtering the frame ~30 times a banner)
    code, names = pd.factorize(disputes["banner"])
    column_of = {name: j for j, name in enumerate(names)}
    nb = max(len(names), 1)
    counted = {}
    for col in ("outcome", "resolved_tier"):
        labels, seen = pd.factorize(disputes[col])
        table = np.bincount(code * len(seen) + labels, minlength=nb * len(seen)).reshape(nb, len(seen))
        counted[col] = {label: table[:, k] for k, label in enumerate(seen)}
    none = np.zeros(nb, dtype=np.int64)
    for i, name in enumerate(b["name"]):
        j = column_of.get(name, -1)
        x = np.flatnonzero(code == j)  # this banner's disputes, in order (none if j == -1)
        row = {
            "banner": name, "name_zh": b.at[i, "name_zh"], "code": str(b.at[i, "code"]),
            "model": b.at[i, "model"], "population": int(pop[i]),
            "grids": int((grid_banner == i).sum()), "grid_workers": int(workers[i]),
            "mediators": int(mediators[i]), "created": len(x),
        }
        for o in ("resolved", "litigated", "criminal", "withdrawn", "pending"):
            row[o] = int(counted["outcome"].get(o, none)[j]) if j >= 0 else 0
        for t in RESOLVED_AT:
            row[f"resolved_{t}"] = int(counted["resolved_tier"].get(t, none)[j]) if j >= 0 else 0
        med = x[mediated[x]]
        row["mediated"] = len(med)
        row["police_incidents"] = int(police[x].sum())
        row["escalations"] = int(escalations[x].sum())
        # Series.mean over the same rows in the same order as before: the same float
        row["mean_wait_days"] = float(wait.iloc[med].mean()) if row["mediated"] else float("nan")
        done = x[closed[x]]
        row["satisfaction"] = float(satisfaction.iloc[done].mean()) if len(done) else float("nan")
        row["per_10k_created"] = 1e4 * len(x) / pop[i] if pop[i] else float("nan")
        rows.append(row)
    return add_banner_costs(model, pd.DataFrame(rows))


def summary_dict(model: ShouwangModel, disputes: pd.DataFrame, counts: dict[str, int]) -> dict:
    """The summary of the run contract (design.md section 5); counts are of the simulated population."""
    cfg = model.cfg
    mediated = _mediated(disputes["path"])
    med_closed = mediated & (disputes["outcome"] != "pending").to_numpy()
    med_resolved = mediated & disputes["resolved_tier"].isin(list(TIERS)).to_numpy()
    closed = disputes[disputes["outcome"] != "pending"]
    tally = model.tally
    days = cfg.days
    out = {
        "seed": cfg.seed,
        "scale": cfg.scale,
        "days": days,
        "city": cfg.city.name,
        "governance": cfg.governance.name,
        "staffing": cfg.staffing.name,
        "population": int(model.population.n),
        "grids": int(len(model.world.grids)),
        "grid_workers": int(model.workforce.count),
        "mediators": int(sum(model.n_mediators.values())),
        "mediators_by_tier": {k: int(v) for k, v in model.n_mediators.items()},
        "police_posts": len(model.staff.posts),
        "police_officers": int(sum(p.officers.capacity for p in model.staff.posts.values())),
        "centres": dict(model.n_centres),
        "disputes": {"created": len(disputes), **counts},
        "resolved_at": {t: int((disputes["resolved_tier"] == t).sum()) for t in RESOLVED_AT},
        "mediated_cases": int(mediated.sum()),
        "mediation_success_rate": float(med_resolved.sum() / med_closed.sum()) if med_closed.any() else float("nan"),
        "mean_wait_days": {t: float(tally.waits[i] / tally.served[i]) if tally.served[i] else 0.0
                           for i, t in enumerate(TIERS)},
        "utilisation": {t: float(model.util_samples[i] / days) for i, t in enumerate(TIERS)},
        "police_incidents": int(disputes["path"].str.contains("police").sum()),
        "petitions": int(disputes["path"].str.contains("petition").sum()),
        "satisfaction": float(closed["satisfaction"].mean()) if len(closed) else float("nan"),
        "fraud_cases_per_day": model.fraud_cases / days,
    }
    out["shocks"] = cfg.shocks.name
    out["policy"] = cfg.policy.name
    out["detected_by"] = {k: int(v) for k, v in disputes["detected_by"].value_counts().items() if k}
    out.update(summary_costs(model, out))
    return out
