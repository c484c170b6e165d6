"""A run's figures weighted to the city: ``*_per_10k`` keys, the ``sample`` block and ``fidelity``.

At ``scale`` < 1 a run simulates a stratified sample of whole townships (:mod:`sim.world.sample`);
each sampled township stands for ``weight`` times its own population. Per-resident figures are
the weighted counts per 10,000 of the city's real population, so a user never divides by
``scale``; mean waits are weighted the same way (each township's cases count ``weight`` times).
At scale 1 every weight is 1 and the per-10k figures are the counts per 10,000 residents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config import TIERS
from sim.records import flow_counts
from sim.world.sample import TownshipSample

OUTCOMES = ("created", "resolved", "litigated", "criminal", "withdrawn")
FLOWS = ("mediated_cases", "escalations", "police_incidents", "petitions", "court_filings")


def city_figures(sample: TownshipSample, disputes: pd.DataFrame, visits: pd.DataFrame,
                 township: np.ndarray) -> dict:
    """The summary keys a sampled run adds (all of them at scale 1 too, with weight 1).

    Args:
        sample: the run's township sample.
        disputes: ``disputes.parquet`` rows, in ``dispute_id`` order.
        visits: ``visits.parquet`` rows.
        township: the sampled township (row of ``sample.world.townships``) of each dispute.

    Returns:
        ``<count>_per_10k`` for the outcomes and flows, ``mean_wait_days`` weighted to the city
        (only when ``scale`` < 1: at scale 1 the run's own mean is the city's), ``sample``, and
        ``fidelity`` when some level is not represented faithfully.
    """
    nt = len(sample.weights)
    township = np.asarray(township, dtype=np.int64)
    out: dict = {}
    outcome = disputes["outcome"].to_numpy()
    for key in OUTCOMES:
        hit = np.ones(len(outcome), dtype=bool) if key == "created" else outcome == key
        out[f"{key}_per_10k"] = sample.per_10k(np.bincount(township[hit], minlength=nt))
    flows = flow_counts(visits, nt, township)
    for key in FLOWS:
        out[f"{key}_per_10k"] = sample.per_10k(flows[key])
    if sample.scale < 1:
        out["mean_wait_days"] = {t: sample.weighted_mean(flows["mean_wait_days"][t], flows["served"][t])
                                 for t in TIERS}
    out["sample"] = sample.to_dict()
    if sample.fidelity:
        out["fidelity"] = sample.fidelity
    return out


def fidelity_line(summary: dict) -> str | None:
    """One line for the terminal about the levels a sampled run cannot represent faithfully."""
    sample, fidelity = summary.get("sample"), summary.get("fidelity")
    if not sample or sample.get("scale", 1) >= 1:
        return None
    head = (f"scale {sample['scale']:g}: {sample['n_townships']} whole townships "
            f"({sample['share']:.1%} of residents), weighted to the city")
    if not fidelity:
        return head + "; every level represented faithfully"
    parts = [f"{level} {', '.join(f'{k} {v:g}' for k, v in list(units.items())[:3])}"
             + (f" (+{len(units) - 3})" if len(units) > 3 else "") for level, units in fidelity.items()]
    return head + "; not faithful (share/scale, or staff in persons): " + "; ".join(parts)


def city_total(summary: dict, key: str) -> float:
    """A run's count of ``key`` for the whole city, whatever the scale.

    ``mediated_cases``, ``police_incidents``, ``escalations``, ``petitions``, ``court_filings``
    and the outcomes (``criminal``, ``resolved``, ...) come from their weighted ``*_per_10k``
    figure; ``fraud_cases_per_day`` (not tied to a place) is divided by the simulated share.
    For code that used to divide a count by ``scale``, which a sample of whole townships only
    approximates.
    """
    sample = summary.get("sample", {})
    if key == "fraud_cases_per_day":
        return float(summary[key]) / float(sample.get("share", summary["scale"]))
    return float(summary[f"{key}_per_10k"]) * float(sample.get("population", summary["population"])) / 1e4
