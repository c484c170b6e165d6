"""Invariants under random inputs (hypothesis): small synthetic counties and parameter draws.

For every draw: the books balance (created = resolved + litigated + criminal + withdrawn +
pending); no queue, wait or count is negative; disputes.parquet, daily.parquet,
banners.parquet and summary.json agree; nothing is detected before it arose or closed before
it was detected. Each example is a real run written to a real run folder and read back.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.config import PLACE_MODELS, TIERS
from sim.results import read_run
from sim.run import run
from tests.conftest import demo_config

OUTCOMES = ("resolved", "litigated", "criminal", "withdrawn", "pending")
COUNTS = ("arrivals", "resolved", "escalated", "withdrawn", "litigated", "criminal", "queue_length",
          "in_service", "mediators", "live", "fraud_cases")

probability = st.floats(0.0, 1.0)


@st.composite
def scenarios(draw):
    """A tiny county (1,000-6,000 residents, 3-40 days) with drawn staffing and behaviour."""
    cfg = demo_config(seed=draw(st.integers(0, 2**32 - 1)), days=draw(st.integers(3, 40)),
                      scale=draw(st.sampled_from([1.0, 0.5])))
    cfg.city = replace(cfg.city, population=draw(st.integers(1000, 6000)),
                       townships=draw(st.integers(1, 3)), villages_per_township=draw(st.integers(1, 4)),
                       model_mix={m: draw(st.floats(0.0, 1.0)) + (1.0 if m == "rural" else 0.0)
                                  for m in ("urban", "rural", "pastoral", "forest", "border")})
    cfg.disputes = replace(cfg.disputes, rate_per_10k=draw(st.floats(500.0, 20000.0)),
                           growth_per_day=draw(st.floats(0.0, 0.3)), self_report=draw(probability))
    med = replace(cfg.staffing.mediators, village=draw(st.sampled_from([0.5, 1.0, 3.0])),
                  township=draw(st.sampled_from([1.0, 2.0])), banner=draw(st.sampled_from([1.0, 4.0])),
                  city=draw(st.sampled_from([1.0, 10.0])))
    cfg.staffing = replace(cfg.staffing, mediators=med,
                           grid_workers_per_grid=draw(st.floats(0.0, 6.0)), duty_load=draw(probability))
    cfg.mediation = replace(cfg.mediation, success=[draw(st.floats(0.05, 0.999)) for _ in TIERS],
                            patience_days=draw(st.floats(0.5, 60.0)), escalate=draw(probability),
                            litigate=draw(probability), petition=draw(probability))
    cfg.police = replace(cfg.police, criminal_base=draw(probability))
    cfg.governance = replace(cfg.governance, apply=draw(st.sampled_from(("classified",) + PLACE_MODELS)),
                             village_centres=draw(st.booleans()))
    return cfg


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cfg=scenarios())
def test_books_balance_and_tables_agree(cfg):
    with tempfile.TemporaryDirectory() as tmp:
        run(cfg, tmp)
        r = read_run(tmp)  # what a reader gets from the folder
        s = json.loads(open(f"{tmp}/summary.json", encoding="utf-8").read())
    d, daily, b = r.disputes, r.daily, r.banners
    counts = s["disputes"]

    # conservation, and the same counts in every file
    assert counts["created"] == sum(counts[o] for o in OUTCOMES) == len(d)
    assert d["outcome"].value_counts().reindex(OUTCOMES, fill_value=0).to_dict() == \
        {o: counts[o] for o in OUTCOMES}
    system = daily[daily["tier"] == "system"]
    assert len(system) == cfg.days and system["arrivals"].sum() == counts["created"]
    assert b["created"].sum() == counts["created"]
    for o in OUTCOMES:
        assert b[o].sum() == counts[o], o
    assert sum(s["resolved_at"].values()) == counts["resolved"]
    for tier, n in s["resolved_at"].items():
        assert (d["resolved_tier"] == tier).sum() == n, tier
    by_tier = daily.groupby("tier")[["arrivals", "resolved", "escalated", "withdrawn", "litigated",
                                     "criminal"]].sum()
    for tier in TIERS:
        assert by_tier.at[tier, "resolved"] == s["resolved_at"][tier], tier
        assert by_tier.at[tier, "arrivals"] == d["path"].str.count(tier).sum(), tier
    assert by_tier.loc[list(TIERS) + ["grid", "police"], "resolved"].sum() == counts["resolved"]
    # on the spot: settled, or sent on (to a centre, the petition office, or straight to court)
    assert by_tier.at["grid", "arrivals"] == by_tier.at["grid", "resolved"] + by_tier.at["grid", "escalated"] \
        + by_tier.at["grid", "litigated"]
    # a pre-suit mediation the court referred (court>centre) counts once it settles
    unsettled_referral = d["path"].str.contains("court>(?:township|banner|city)") & (d["outcome"] != "resolved")
    assert s["mediated_cases"] == (d["path"].str.contains("village|township|banner|city") & ~unsettled_referral).sum()

    # nothing negative: counts, queues, waits
    assert (daily[list(COUNTS)] >= 0).all().all()
    assert (d["wait_days"].dropna() >= 0).all()
    assert all(w >= 0 for w in s["mean_wait_days"].values())
    assert all(0 <= u for u in s["utilisation"].values())

    # time runs forward: arose <= detected <= closed, all inside the run
    assert (d["created_day"] >= 0).all() and (d["created_day"] < cfg.days).all()
    detected = d.dropna(subset=["detected_day"])
    assert (detected["detected_day"] >= detected["created_day"]).all()
    closed = d[d["outcome"] != "pending"]
    assert closed["closed_day"].notna().all() and d.loc[d["outcome"] == "pending", "closed_day"].isna().all()
    assert (closed["closed_day"] >= closed["created_day"]).all()
    assert (closed["closed_day"] >= closed["detected_day"].fillna(-np.inf)).all()
    assert (closed["closed_day"] <= cfg.days).all()
    assert closed["satisfaction"].between(0, 1).all()
