"""Each governance model in its own kind of place: one run's figures for the townships of each model.

A township's model is its kind of place (sim/world/cities.py ``place_models``), whichever governance
the run applied. At ``scale`` < 1 a run simulates a stratified sample of whole townships, each standing
for ``weight`` times its own residents (sim/world/sample.py); every figure here is weighted the same
way, so it estimates the figure for all the city's places of that model (a ratio estimator:
weighted count / weighted residents). Counts of mediation, escalation, police, court and petitions
come from ``visits.parquet`` through :func:`sim.records.flow_counts`, grouped by township.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sim.config import PLACE_MODELS
from sim.records import flow_counts
from sim.results import Result

ALL = "all places"
"""The row of a run's whole (sampled) city, next to one row per model."""

METRICS = {
    "days_to_settlement": "mean days from a dispute's start to its settlement by the system",
    "police_per_10k": "police call-outs per 10,000 residents",
    "criminal_per_10k": "civil-to-criminal conversions per 10,000 residents",
    "court_filings_per_10k": "court filings per 10,000 residents",
    "petitions_per_10k": "petitions per 10,000 residents",
    "escalations_per_10k": "escalations (climbs and referrals) per 10,000 residents",
    "grassroots_share": "share of handled disputes settled in the grid or village",
    "success_rate": "mediation success rate (resolved / ended at a centre)",
    "satisfaction": "mean satisfaction of closed disputes (0-1)",
}
"""The per-model figures (column: label with unit), in report order."""

SHORT = {"days_to_settlement": "days to settlement", "police_per_10k": "police call-outs per 10k",
         "criminal_per_10k": "conversions per 10k", "court_filings_per_10k": "court filings per 10k",
         "petitions_per_10k": "petitions per 10k", "escalations_per_10k": "escalations per 10k",
         "grassroots_share": "grassroots share", "success_rate": "mediation success",
         "satisfaction": "satisfaction"}
"""Short names of :data:`METRICS` for the report's sentences."""

RATES = {"police_per_10k": "police_incidents", "court_filings_per_10k": "court_filings",
         "petitions_per_10k": "petitions", "escalations_per_10k": "escalations"}
GRASSROOTS = ("grid", "village", "enterprise")
"""Settled on the spot (grid workers, neighbour heads, sentinels), at the village centre, or by a
mining community's enterprise mediator: the grassroots (基层) of the evidence's "~80% at the
grassroots" (evidence 1.8)."""


def _city(run_dir: Path):
    """The run's configuration and its whole city (before sampling), built as the run built it."""
    from sim.hydra_conf import to_config
    from sim.model import STREAMS
    from sim.world import build_city

    cfg = to_config(OmegaConf.load(Path(run_dir) / ".hydra" / "config.yaml"))
    world_rng = np.random.default_rng(np.random.SeedSequence(cfg.seed).spawn(len(STREAMS))[STREAMS.index("world")])
    return cfg, build_city(cfg.city, world_rng)


def where_models_act(run_dir: Path) -> pd.DataFrame:
    """Villages and communities of each place model in each banner of the run's whole city."""
    _, city = _city(run_dir)
    v = city.villages.assign(banner=city.banners["name"].to_numpy()[city.villages["banner"].to_numpy()])
    table = pd.crosstab(v["banner"], v["model"]).reindex(columns=[m for m in PLACE_MODELS if m in set(v["model"])])
    table = table.reindex(city.banners["name"]).fillna(0).astype(int)
    table.index.name, table.columns.name = "banner", None
    return table.reset_index()


def places(run_dir: Path, summary: dict) -> tuple[pd.DataFrame, np.ndarray]:
    """The run's kinds of place: one row per simulated township and place model of its grids.

    Returns:
        ``cells`` with columns ``township, model, population, weight`` (the township's sampling
        weight), and each grid's row of ``cells`` (index: the run's grid number). A township's
    villages and communities can differ (a town's communities are urban, its villages the banner's
    model: sim/world/hierarchy.py), so a model's places are grids, not whole townships.

    Rebuilt from the run's own configuration and seed the way a run builds them (the world stream
    is the first of the seed's spawned streams; the sample has its own stream), then checked
    against the townships the run's summary lists, so a drift between this and the model is an error.

    Raises:
        ValueError: the rebuilt sample is not the run's.
    """
    from sim.world.sample import sample_stream, sample_townships

    cfg, city = _city(run_dir)
    sample = sample_townships(city, cfg.scale, sample_stream(cfg.seed))
    names = sample.world.townships["name"].tolist()
    listed = summary.get("sample", {}).get("townships")
    if listed is not None and listed != names:
        raise ValueError(f"{run_dir}: the rebuilt township sample differs from the run's")
    g = sample.world.grids
    code, keys = pd.MultiIndex.from_frame(g[["township", "model"]]).factorize(sort=True)
    town = keys.get_level_values(0).to_numpy()
    cells = pd.DataFrame({"township": [names[t] for t in town], "model": keys.get_level_values(1).to_numpy(),
                          "population": np.bincount(code, weights=g["population"].to_numpy(float), minlength=len(keys)),
                          "weight": sample.weights[town].astype(float)})
    return cells, code


def model_rows(r: Result, cells: pd.DataFrame, grid_cell: np.ndarray) -> list[dict]:
    """One run's figures (:data:`METRICS`) for each model's places and for :data:`ALL`.

    Args:
        r: the run.
        cells: its places and grid_cell: each grid's place (:func:`places`).
    """
    d = r.disputes
    if not np.array_equal(d["dispute_id"].to_numpy(), np.arange(len(d))):
        raise ValueError(f"{r.run_dir}: disputes.parquet is not in dispute_id order")
    cell = np.asarray(grid_cell)[d["grid"].to_numpy(np.int64)]
    nc = len(cells)
    w_cell = cells["weight"].to_numpy(float)
    pop_cell = cells["population"].to_numpy(float)
    w = w_cell[cell]  # each dispute stands for weight disputes of the city
    flows = flow_counts(r.visits, nc, cell)
    outcome = d["outcome"].to_numpy()
    criminal = np.bincount(cell[outcome == "criminal"], minlength=nc)
    handled = np.zeros(len(d), dtype=bool)
    handled[np.unique(r.visits["dispute_id"].to_numpy(np.int64))] = True
    settled = (outcome == "resolved") & (d["resolved_tier"].to_numpy() != "self")
    days = (d["closed_day"] - d["created_day"]).to_numpy(float)
    closed = outcome != "pending"
    satisfaction = d["satisfaction"].to_numpy(float)
    grassroots = sum(np.asarray(flows["resolved_at"][p]) for p in GRASSROOTS)
    n_handled = np.bincount(cell[handled], minlength=nc)
    cell_model = cells["model"].to_numpy()
    rows = []
    for model in [*PLACE_MODELS, ALL]:
        c_in = np.ones(nc, dtype=bool) if model == ALL else cell_model == model
        if not c_in.any():
            continue  # no place of this model in the run's sample
        d_in = c_in[cell]
        pop = float(np.dot(w_cell[c_in], pop_cell[c_in]))

        def total(counts: np.ndarray, c_in=c_in) -> float:
            return float(np.dot(w_cell[c_in], np.asarray(counts, float)[c_in]))

        def mean(values: np.ndarray, mask: np.ndarray, d_in=d_in) -> float:
            m = mask & d_in
            return float(np.average(values[m], weights=w[m])) if m.any() else np.nan

        ended = total(flows["mediation_ended"])
        row = {"model": model, "residents": pop, "townships": int(cells.loc[c_in, "township"].nunique()),
               "disputes": int(d_in.sum()),
               "days_to_settlement": mean(days, settled),
               "criminal_per_10k": 1e4 * total(criminal) / pop,
               "grassroots_share": total(grassroots) / total(n_handled) if total(n_handled) else np.nan,
               "success_rate": total(flows["mediation_resolved"]) / ended if ended else np.nan,
               "satisfaction": mean(satisfaction, closed)}
        row.update({k: 1e4 * total(flows[v]) / pop for k, v in RATES.items()})
        rows.append(row)
    return rows
