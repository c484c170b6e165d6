"""The six "classified" governance models (分类化) as the actors each one adds where it acts.

Each model is a set of levers (:class:`sim.config.ModelParams`) held as one array per lever,
indexed by model code, so a day's detection over all latent disputes reads them in one pass.
What each lever does is declared here once; the detection channels, on-the-spot settlement,
police and mediation mechanisms read them.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from sim.config import KINDS, PLACE_MODELS, Config, ModelParams
from sim.mechanisms.catalogue import declare

M = "governance.models.*."

declare("place_models", "governance",
        "Each grid runs the governance model of its kind of place (urban, rural, forest, mining, pastoral, "
        "border), unless one model is applied everywhere or per banner; disputes arise by the place's own "
        "model (its rate and mix of kinds) whatever model governs it.",
        ("governance.apply", "governance.banner_models", M + "dispute_rate", M + "kind_mix"), "分类化")
declare("enterprise_mediation", "governance",
        "Mining model: resident enterprises' mediators take a share of labour, property and compensation "
        "cases first, helped by visiting judges, prosecutors, police and lawyers; failures go on to the "
        "mediation ladder.",
        (M + "enterprise_mediation", M + "enterprise_settle", M + "legal_support",
         "governance.enterprise_kinds", "settlement.enterprise_days"), "一核多元, 三官两员一律")
declare("joint_forestry_team", "governance",
        "Forest model: land disputes go to a joint local-government and forestry-bureau team at the township "
        "at least, which lifts their success.",
        (M + "joint_handling", "governance.joint_kinds"), "林地一家")
declare("police_village_officials", "governance",
        "Border model: police officers serve as village officials; they detect, settle, answer call-outs "
        "in their village and lift village mediation's success.",
        (M + "village_police", M + "village_police_detection", M + "police_officials",
         "settlement.village_police_hours"), "三务合一")
declare("mobile_police", "governance",
        "Pastoral model: mobile police rooms and mounted teams on patrol meet a share of call-outs from "
        "nearby, cutting the distance.",
        (M + "mobile_police", "settlement.mobile_km_share"), "草原110, 马背警队")
declare("online_mediation", "governance",
        "A share of mediation sessions is held online (urban platforms), so the parties do not travel.",
        (M + "online_mediation", M + "travel_kmh", "mediation.travel_hours_per_day"), "智能化")
declare("reform_timeline", "governance",
        "The reform phases in (sim.timeline): on each phase's first day the system moves to the phase's "
        "reform level (centres opened, grid workers hired, police-grid integration, the models' actors, the "
        "anti-fraud campaign), blended between the system before the reform and the 2022 system.",
        ("timeline.start", "timeline.before", "timeline.phases"), "三年三步走")


class ModelTable:
    """The levers of the six models as arrays (index = model code), the kind mix matrix, and the
    kinds' own factors (growth, hardness, session work, seasonal peak) as arrays by kind."""

    def __init__(self, cfg: Config) -> None:
        models = [cfg.governance.models[m] for m in PLACE_MODELS]
        for f in fields(ModelParams):
            if f.name != "kind_mix":
                setattr(self, f.name, np.array([getattr(mp, f.name) for mp in models], dtype=float))
        mix = np.array([[mp.kind_mix.get(k, 0.0) for k in KINDS] for mp in models], dtype=float)
        self.kind_mix = mix / mix.sum(axis=1, keepdims=True)
        kinds = [cfg.disputes.kinds[k] for k in KINDS]
        self.kind_growth = np.array([k.growth for k in kinds])
        self.kind_hardness = np.array([k.hardness for k in kinds])
        self.kind_service = np.array([k.service for k in kinds])
        self.season_peak = np.array([k.season_peak_day for k in kinds], dtype=float)
        g = cfg.governance
        self.enterprise_kinds = frozenset(KINDS.index(k) for k in g.enterprise_kinds)
        self.joint_kinds = frozenset(KINDS.index(k) for k in g.joint_kinds)

    def __getattr__(self, name: str) -> np.ndarray:  # for type checkers: the levers set above
        raise AttributeError(name)


def grid_models(cfg: Config, own: np.ndarray, grid_banner: np.ndarray, banner_index) -> np.ndarray:
    """Each grid's effective model: its own (classified), one for all, or a banner's override.

    Args:
        own: each grid's own place model code.
        grid_banner: each grid's banner row.
        banner_index: ``key -> banner row`` (names, Chinese names or codes).
    """
    gov = cfg.governance
    models = own.copy()
    if gov.apply != "classified":
        models[:] = PLACE_MODELS.index(gov.apply)
    for key, model in gov.banner_models.items():
        models[grid_banner == banner_index(key)] = PLACE_MODELS.index(model)
    return models
