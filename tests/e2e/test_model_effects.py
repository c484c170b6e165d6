"""Each governance model against its null in its own places (experiments.model_effects, issue 14 item 4).

The per-model table is recounted here from the runs' own tables with plain pandas (not through
sim.records.flow_counts, which the experiment uses), and the effect table from that recount.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
from experiments import model_effects
from experiments.model_places import ALL, model_rows, places
from sim.config import PLACE_MODELS
from sim.results import read_run

SIX = "+city.model_mix={urban: 1, rural: 1, forest: 1, mining: 1, pastoral: 1, border: 1}"


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """The experiment end to end on a tiny county holding all six kinds of place: 2 seeds x 2 arms."""
    out = tmp_path_factory.mktemp("model_effects") / "sweep"
    report = model_effects.main(["--out", str(out), "city=demo_county", "scale=1", "days=40", "seed=0,1", SIX,
                                 "disputes.rate_per_10k=1500"])
    return out, report


def _recount(run_dir) -> pd.DataFrame:
    """Per place model, from disputes.parquet and visits.parquet alone (scale 1: every weight is 1)."""
    r = read_run(run_dir)
    d, v = r.disputes, r.visits.merge(r.disputes[["dispute_id", "model"]], on="dispute_id")
    police = v[v["agency"] == "police"].groupby("model").size()
    filings = v[v["agency"] == "court"].drop_duplicates("dispute_id").groupby("model").size()
    petitions = v[v["agency"] == "petition"].groupby("model").size()
    escalations = v[v["result"].isin(["climbed", "referred"])].groupby("model").size()
    criminal = d[d["outcome"] == "criminal"].groupby("model").size()
    settled = d[(d["outcome"] == "resolved") & (d["resolved_tier"] != "self")]
    days = (settled["closed_day"] - settled["created_day"]).groupby(settled["model"]).mean()
    low = v[(v["result"] == "resolved") & v["agency"].isin(["grid", "neighbour", "village", "enterprise"])]
    grassroots = low.groupby("model").size() / v.drop_duplicates("dispute_id").groupby("model").size()
    return pd.DataFrame({"police": police, "court_filings": filings, "petitions": petitions,
                         "escalations": escalations, "criminal": criminal, "days_to_settlement": days,
                         "grassroots_share": grassroots}).fillna({"police": 0, "court_filings": 0, "petitions": 0,
                                                                 "escalations": 0, "criminal": 0})


@pytest.mark.slow
def test_per_model_table_is_the_runs_recounted(sweep):
    out, report = sweep
    table = pd.read_parquet(out / "aggregate" / "model_places.parquet")
    assert set(table["governance"]) == {"classified", "null_model"} and table["seed"].nunique() == 2
    assert set(table["model"]) == {*PLACE_MODELS, ALL}
    checked = 0
    for run, rows in table.groupby("run"):
        summary = read_run(out / run).summary
        rows = rows.set_index("model")
        own = rows.drop(index=ALL)
        assert own["residents"].sum() == pytest.approx(summary["population"])  # the places partition the county
        assert own["disputes"].sum() == rows.at[ALL, "disputes"] == summary["disputes"]["created"]
        recount = _recount(out / run)
        for model, want in recount.iterrows():
            per = own.at[model, "residents"] / 1e4
            got = own.loc[model]
            assert got["police_per_10k"] * per == pytest.approx(want["police"]), (run, model)
            assert got["court_filings_per_10k"] * per == pytest.approx(want["court_filings"]), (run, model)
            assert got["petitions_per_10k"] * per == pytest.approx(want["petitions"]), (run, model)
            assert got["escalations_per_10k"] * per == pytest.approx(want["escalations"]), (run, model)
            assert got["criminal_per_10k"] * per == pytest.approx(want["criminal"]), (run, model)
            assert got["days_to_settlement"] == pytest.approx(want["days_to_settlement"], nan_ok=True)
            assert got["grassroots_share"] == pytest.approx(want["grassroots_share"], nan_ok=True)
            checked += 1
    assert checked >= 20 and table["police_per_10k"].sum() > 0 and table["court_filings_per_10k"].sum() > 0


@pytest.mark.slow
def test_effect_table_is_the_paired_difference_over_seeds(sweep):
    out, report = sweep
    table = pd.read_parquet(out / "aggregate" / "model_places.parquet")
    effects = pd.read_parquet(out / "aggregate" / "model_effects.parquet").set_index(["model", "metric"])
    wide = table.pivot_table(index=["model", "seed"], columns="governance", values="police_per_10k")
    for model, g in wide.groupby(level="model"):
        diff = (g["classified"] - g["null_model"]).to_numpy()
        row = effects.loc[(model, "police_per_10k")]
        assert row["mean_diff"] == pytest.approx(diff.mean())
        assert row["null_mean"] == pytest.approx(g["null_model"].mean())
        half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / math.sqrt(len(diff))
        if half > 0:
            assert (row["ci_low"], row["ci_high"]) == pytest.approx((diff.mean() - half, diff.mean() + half))
            assert row["rel_diff"] == pytest.approx(diff.mean() / g["null_model"].mean())
    text = report.read_text()
    assert "## Where each model acts" in text and (out / "model_effects.png").stat().st_size > 10_000
    # a sentence names a change only where its interval excludes zero
    for r in effects.reset_index().itertuples():
        if r.model == ALL or not (r.ci_low > 0 or r.ci_high < 0):
            continue
        assert f"**{r.model}** places" in text


@pytest.mark.slow
def test_all_places_row_matches_the_runs_city_figures(tmp_path):
    # a sampled run of the real city: the all-places row weights townships as sim.weighting does
    r = sim.simulate(["scale=0.05", "days=10", "seed=3"], run_dir=tmp_path / "run")
    cells, grid_cell = places(r.run_dir, r.summary)
    rows = {row["model"]: row for row in model_rows(r, cells, grid_cell)}
    s = r.summary
    assert rows[ALL]["residents"] == pytest.approx(s["sample"]["population"])
    for mine, theirs in (("police_per_10k", "police_incidents_per_10k"), ("criminal_per_10k", "criminal_per_10k"),
                         ("court_filings_per_10k", "court_filings_per_10k"), ("petitions_per_10k", "petitions_per_10k"),
                         ("escalations_per_10k", "escalations_per_10k")):
        assert rows[ALL][mine] == pytest.approx(s[theirs]), mine
    # mining acts in Zalainuoer District, border in Manzhouli: a sample holding them has those rows
    models = set(cells["model"])
    assert models <= set(PLACE_MODELS) and len(models) >= 4
    assert np.isfinite([rows[m]["police_per_10k"] for m in models]).all()
