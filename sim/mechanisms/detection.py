"""Detection channels: how a latent dispute comes to light, each channel declared once.

Every day each latent (undetected) dispute may be found by any channel; the chances combine as
independent ("found by at least one"), and a found dispute is credited to one channel drawn in
proportion to its chance. A channel that meets the dispute on the spot (``agency``) gets a chance
to settle it there (:mod:`sim.mechanisms.settlement`); otherwise it goes to dispatch. A dispute
nobody finds that grows past ``disputes.police_threshold`` boils over into a police call-out.
Adding a channel is one entry in :data:`CHANNELS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.config import Config
from sim.mechanisms.catalogue import Mechanism, declare
from sim.mechanisms.governance import ModelTable

M = "governance.models.*."


@dataclass
class Latent:
    """Today's view of the latent pool that channels read (arrays over latent disputes)."""

    intensity: np.ndarray
    visible: np.ndarray  # how visible each dispute is to an outsider (0..1)
    model: np.ndarray  # effective governance model of its grid
    grid: np.ndarray
    trust: np.ndarray  # the first party's trust in institutions
    propensity: np.ndarray  # the first party's willingness to report
    coverage: np.ndarray  # per grid: share of households visited today
    p: ModelTable
    cfg: Config


@dataclass(frozen=True)
class Channel:
    """One way a dispute is found.

    Attributes:
        name: the ``detected_by`` label in ``disputes.parquet``.
        agency: where it is handled on the spot (a visit), or "" when it goes straight to dispatch.
        chance: today's chance for each latent dispute.
        mechanism: its catalogue entry.
    """

    name: str
    agency: str
    chance: Callable[[Latent], np.ndarray]
    mechanism: Mechanism


def _grid_visit(s: Latent) -> np.ndarray:
    return s.coverage[s.grid] * s.cfg.detection.visit_notice * s.visible


def _neighbour(s: Latent) -> np.ndarray:
    return s.p.neighbour_detection[s.model] * s.visible


def _tech(s: Latent) -> np.ndarray:
    return s.p.tech_detection[s.model] * s.visible


def _police_grid(s: Latent) -> np.ndarray:
    on = float(s.cfg.governance.police_grid_integration)
    return s.p.police_grid[s.model] * (s.intensity > s.cfg.detection.police_grid_intensity) * on


def _self_report(s: Latent) -> np.ndarray:
    d = s.cfg.detection
    x = np.minimum(s.intensity, d.self_report_cap)
    return s.cfg.disputes.self_report * s.trust * s.propensity * d.self_report_gain * x


def _village_police(s: Latent) -> np.ndarray:
    return s.p.village_police[s.model] * s.p.village_police_detection[s.model] * s.visible


CHANNELS: tuple[Channel, ...] = (
    Channel("grid_worker", "grid", _grid_visit, declare(
        "grid_visit", "detection",
        "Grid workers' household visits notice a latent dispute with a chance equal to the share of the "
        "grid's households visited today x a notice chance x the dispute's visibility.",
        ("staffing.visits_per_worker_day", "staffing.duty_load", "staffing.grid_workers_per_grid",
         "detection.visit_notice", "detection.household_size"), "网格员走访")),
    Channel("neighbour", "neighbour", _neighbour, declare(
        "neighbour_watch", "detection",
        "Neighbour heads (rural) and herder sentinels (pastoral) spot visible disputes in their unit.",
        (M + "neighbour_detection",), "邻里守望, 牧民哨兵")),
    Channel("tech", "", _tech, declare(
        "tech_platform", "detection",
        "Video, hotline and the city platform flag visible disputes; they go straight to dispatch.",
        (M + "tech_detection",), "一屏观全域")),
    Channel("police_grid", "grid", _police_grid, declare(
        "police_grid", "detection",
        "Where police and grid work as one unit, the police learn of tense disputes (above an intensity).",
        (M + "police_grid", "governance.police_grid_integration", "detection.police_grid_intensity"),
        "网格+警格")),
    Channel("self_report", "", _self_report, declare(
        "self_report", "detection",
        "A party reports the dispute: likelier with trust, willingness to report and intensity (capped).",
        ("disputes.self_report", "detection.self_report_gain", "detection.self_report_cap"))),
    Channel("village_police", "grid", _village_police, declare(
        "village_police_watch", "detection",
        "A police officer serving as village official learns of visible disputes in the village.",
        (M + "village_police", M + "village_police_detection"), "民警村官")),
)
CHANNEL_NAMES = tuple(c.name for c in CHANNELS)

declare("visibility", "detection",
        "A latent dispute's visibility to outsiders rises with its intensity: floor + slope x intensity, "
        "capped at 1.", ("detection.visibility_floor", "detection.visibility_slope"))
declare("self_settlement", "detection",
        "A latent dispute nobody has found may be settled by the parties themselves (自行和解): a daily chance "
        "falling linearly to zero as its intensity nears the police threshold.", ("disputes.fade_per_day",),
        "自行和解")
declare("boil_over", "detection",
        "A latent dispute nobody has found that grows past the police threshold becomes a public-order "
        "incident: a police call-out.", ("disputes.police_threshold",))


def visibility(intensity: np.ndarray, cfg: Config) -> np.ndarray:
    """Each latent dispute's visibility to outsiders, floor + slope x intensity in [0, 1]: the channels
    that need to see a dispute scale their chance by it."""
    d = cfg.detection
    return np.minimum(np.maximum(d.visibility_floor + d.visibility_slope * intensity, 0.0), 1.0)


def detect(s: Latent, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who is found today, by which channel, and who boils over.

    Returns:
        ``found`` (mask), ``channel`` (index into :data:`CHANNELS` for each found dispute) and
        ``boiling`` (mask over the disputes not found).
    """
    probs = np.column_stack([c.chance(s) for c in CHANNELS])
    np.clip(probs, 0.0, 1.0, out=probs)
    miss = np.prod(1 - probs, axis=1)
    found = rng.random(len(miss)) < 1 - miss
    boiling = ~found & (s.intensity >= s.cfg.disputes.police_threshold)
    channel = np.zeros(0, dtype=np.int64)
    if found.any():
        share = probs[found] / probs[found].sum(axis=1, keepdims=True)
        channel = (share.cumsum(axis=1) < rng.random(int(found.sum()))[:, None]).sum(axis=1)
        channel = np.minimum(channel, len(CHANNELS) - 1)
    return found, channel, boiling[~found]
