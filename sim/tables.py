"""A finished model as the tables of the run contract: disputes, visits, daily, banners, summary.

Counts of mediation, escalation and police are derived from the visits by
:func:`sim.records.flow_counts` (the same helper the experiments use); staff, caseloads and
utilisation are read from the agents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.agents import Court, Mediator
from sim.config import PLACE_MODELS, TIERS
from sim.costs import add_banner_costs, summary_costs
from sim.model import ShouwangModel
from sim.records import RESOLVED_AT, flow_counts, paths_and_waits, reached_a_centre
from sim.weighting import city_figures


def disputes_frame(model: ShouwangModel, visits: pd.DataFrame) -> pd.DataFrame:
    """``disputes.parquet``; ``path`` (places visited, ``>``-joined) and ``wait_days`` (queue
    days at mediation centres) per dispute are derived from ``visits``."""
    path, wait_days = paths_and_waits(visits, len(model.ledger))
    p = model.places
    return model.ledger.to_frame(p.banner_names, p.township_names, PLACE_MODELS, path, wait_days)


def daily_frame(model: ShouwangModel) -> pd.DataFrame:
    """``daily.parquet`` from the model's daily rows (0 fraud cases on rows that count none)."""
    df = pd.DataFrame(model.daily)
    df["fraud_cases"] = df.get("fraud_cases", pd.Series(0, index=df.index)).fillna(0).astype(np.int64)
    return df


def banners_frame(model: ShouwangModel, disputes: pd.DataFrame, visits: pd.DataFrame) -> pd.DataFrame:
    """The per-banner summary planners read: staff, flows, outcomes, waits, satisfaction."""
    w, p = model.world, model.places
    b = w.banners
    nb = len(b)
    banner_of = np.array([d.banner for d in model.ledger.disputes], dtype=np.int64)
    flows = flow_counts(visits, nb, banner_of)
    staff = model.staff.by_banner(p)
    pop = np.bincount(p.grid_banner, weights=model.population.per_grid, minlength=nb).astype(np.int64)
    outcome = disputes["outcome"].to_numpy()
    resolved_tier = disputes["resolved_tier"].to_numpy()
    closed = outcome != "pending"
    satisfaction = disputes["satisfaction"].to_numpy(float)
    wait = disputes["wait_days"].to_numpy(float)
    mediated = reached_a_centre(visits, len(disputes))
    rows = []
    for i in range(nb):
        x = banner_of == i
        row = {
            "banner": b.at[i, "name"], "name_zh": b.at[i, "name_zh"], "code": str(b.at[i, "code"]),
            "model": b.at[i, "model"], "population": int(pop[i]),
            "grids": int((p.grid_banner == i).sum()), "grid_workers": int(staff.at[i, "grid_workers"]),
            "mediators": int(staff.loc[i, ["mediators_village", "mediators_township", "mediators_banner"]].sum()),
            "created": int(x.sum()),
        }
        for o in ("resolved", "litigated", "criminal", "withdrawn", "pending"):
            row[o] = int((outcome[x] == o).sum())
        for t in RESOLVED_AT:
            row[f"resolved_{t}"] = int((resolved_tier[x] == t).sum())
        row["mediated"] = int(flows["mediated_cases"][i])
        row["police_incidents"] = int(flows["police_incidents"][i])
        row["escalations"] = int(flows["escalations"][i])
        row["petitions"] = int(flows["petitions"][i])
        med = x & mediated
        row["mean_wait_days"] = float(wait[med].mean()) if med.any() else float("nan")
        done = x & closed
        row["satisfaction"] = float(satisfaction[done].mean()) if done.any() else float("nan")
        for key, count in (("created", row["created"]), ("police_incidents", row["police_incidents"]),
                           ("criminal", row["criminal"]), ("mediated", row["mediated"])):
            row[f"{key}_per_10k"] = 1e4 * count / pop[i] if pop[i] else float("nan")
        rows.append(row)
    out = pd.DataFrame(rows)
    out["per_10k_created"] = out["created_per_10k"]  # the name before per-10k figures were added
    # scale < 1: the banner's real population / its simulated one (NaN: none of it simulated)
    out["weight"] = model.sample.banner_weight
    return add_banner_costs(model, out, staff)


def court_block(courts: list[Court]) -> dict:
    """The courts' books: filings, pre-suit referrals and settlements, judgments, mean days to
    judgment, online hearings and the parties' km to court (summed over the banners' courts)."""
    decided = sum(c.decided for c in courts)
    return {"filings": sum(c.filed for c in courts), "referred_to_mediation": sum(c.referred for c in courts),
            "settled_in_mediation": sum(c.settled for c in courts), "judgments": decided,
            "mean_days": sum(c.judgment_days for c in courts) / decided if decided else float("nan"),
            "online_hearings": sum(c.online for c in courts),
            "party_travel_km": float(sum(c.travel_km for c in courts))}


def summary_dict(model: ShouwangModel, disputes: pd.DataFrame, visits: pd.DataFrame,
                 counts: dict[str, int]) -> dict:
    """The summary of the run contract; counts are of the simulated population."""
    cfg = model.cfg
    flows = flow_counts(visits)
    closed = disputes[disputes["outcome"] != "pending"]
    days = cfg.days
    mediators = model.agents_by_type[Mediator] if Mediator in model.agents_by_type else []
    busy = {t: 0.0 for t in TIERS}
    duty = {t: 0.0 for t in TIERS}
    caseload = cfg.mediation.caseload
    for m in mediators:  # load: case-days carried over what the mediators could carry on duty
        busy[TIERS[m.tier]] += m.case_days_until(float(days))
        duty[TIERS[m.tier]] += m.duty_days(float(days)) * caseload[m.tier]
    courts = list(model.agents_by_type[Court]) if Court in model.agents_by_type else []
    posts = list(model.staff.posts.values())
    out = {
        "seed": cfg.seed,
        "scale": cfg.scale,
        "days": days,
        "city": cfg.city.name,
        "governance": cfg.governance.name,
        "staffing": cfg.staffing.name,
        "population": int(model.population.n),
        "grids": int(model.places.n_grids),
        "grid_workers": int(model.workforce.count),
        "mediators": int(sum(model.mediators.values())),
        "mediators_by_tier": dict(model.mediators),
        "police_posts": len(posts),
        "police_officers": int(sum(p.officers.capacity for p in posts)),
        "centres": model.staff.centre_counts(),
        "disputes": {"created": len(disputes), **counts},
        "resolved_at": {**flows["resolved_at"], "self": int((disputes["resolved_tier"] == "self").sum())},
        "mediated_cases": flows["mediated_cases"],
        "mediation_success_rate": (flows["mediation_resolved"] / flows["mediation_ended"]
                                   if flows["mediation_ended"] else float("nan")),
        "mean_wait_days": flows["mean_wait_days"],
        "utilisation": {t: float(min(busy[t], duty[t]) / duty[t]) if duty[t] else 0.0 for t in TIERS},
        "escalations": flows["escalations"],
        "police_incidents": flows["police_incidents"],
        "petitions": flows["petitions"],
        "satisfaction": float(closed["satisfaction"].mean()) if len(closed) else float("nan"),
        "fraud_cases_per_day": model.fraud_cases / days,
        # caseloads read from the agents
        "police": {"settled": sum(p.settled for p in posts), "referred": sum(p.referred for p in posts),
                   "criminal": sum(p.criminal for p in posts),
                   "by_village_officials": sum(p.by_village_officials for p in posts),
                   "busiest_post_incidents": max((p.incidents for p in posts), default=0)},
        "court": court_block(courts),
    }
    out["serious_crimes"] = model.crime.total + counts["criminal"]
    out["shocks"] = cfg.shocks.name
    out["policy"] = cfg.policy.name
    out["detected_by"] = {k: int(v) for k, v in disputes["detected_by"].value_counts().items() if k}
    out.update(summary_costs(model, out))
    # per-10k figures weighted to the city, the township sample and its fidelity (sim.weighting)
    township = np.array([d.township for d in model.ledger.disputes], dtype=np.int64)
    out.update(city_figures(model.sample, disputes, visits, township))
    return out
