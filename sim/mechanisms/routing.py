"""Dispatch and the routing policy: where a dispute goes first and after each attempt.

As Ciw routes a customer between nodes, a :class:`RoutingPolicy` decides after every mediation
attempt that did not settle: climb to tier t, go to the police, to court, petition (信访) or
withdraw. Dispatch sends a newly found dispute to the lowest open tier whose intensity cap it
fits (the four-level dispatch centres, 四级指挥调度). The normal model and the queueing-theory
check mode (:mod:`sim.validation`) use the same :class:`Decision` objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import KINDS, TIERS, Config
from sim.mechanisms.catalogue import declare

ACTIONS = ("resolve", "climb", "police", "court", "petition", "withdraw")

declare("dispatch", "dispatch",
        "A found dispute that was not settled on the spot is sent to the lowest open mediation tier whose "
        "intensity cap it fits (village, township, banner; the city takes the rest); the dispatch centres "
        "send the sectoral kinds (labour, compensation, consumer) no lower than their sector's tier.",
        ("mediation.entry_cap", "governance.village_centres", "governance.township_centres",
         "governance.sector_tiers", "governance.kind_dispatch"), "四级指挥调度, 行业性专业性调解")
declare("mediation_session", "mediation",
        "At a centre the parties travel (unless online) and queue up to their patience for a mediator with "
        "room in their caseload, who carries the case for an exponential number of calendar days (longer "
        "for part-time mediators); success (log-odds) falls with intensity, waiting and the kind's "
        "hardness and rises with skill and the model's actors.",
        ("mediation.service_days", "mediation.success", "mediation.intensity_penalty", "mediation.wait_penalty",
         "mediation.patience_days", "mediation.availability", "mediation.skill", "mediation.skill_spread",
         "mediation.caseload", "disputes.kinds.*.service",
         "disputes.kinds.*.hardness", "disputes.waiting_growth_per_day", "staffing.mediators.village",
         "staffing.mediators.township", "staffing.mediators.banner", "staffing.mediators.city"), "调解")
declare("routing_policy", "routing",
        "After a failed session: turn violent (police) with a chance growing with intensity; else climb "
        "one tier with a chance; at the top petition once (back to the banner centre); else go to court "
        "or withdraw.",
        ("mediation.failure_intensity", "police.criminal_after_failure", "mediation.escalate",
         "mediation.petition", "mediation.litigate"), "逐级化解")


@dataclass(frozen=True)
class Decision:
    """What happens next: an action of :data:`ACTIONS` and, to climb, the tier to go to."""

    action: str
    tier: int = -1


RESOLVE = Decision("resolve")
WITHDRAW = Decision("withdraw")


class RoutingPolicy:
    """Entry tier on dispatch and the decision after each attempt (one place for both).

    Args:
        cfg: the scenario (open tiers, intensity caps, escalation shares).
        rng: the service stream.
    """

    def __init__(self, cfg: Config, rng: np.random.Generator) -> None:
        g = cfg.governance
        self.open_tiers = [t for t, on in enumerate((g.village_centres, g.township_centres, True, True)) if on]
        self.caps = list(cfg.mediation.entry_cap) + [np.inf]
        # kind code -> the lowest open tier at or above its sector's tier
        self.sector = {KINDS.index(k): min(t for t in self.open_tiers if t >= TIERS.index(name))
                       for k, name in g.sector_tiers.items()}
        self.kind_dispatch = g.kind_dispatch
        self.med = cfg.mediation
        self.police = cfg.police
        self.rng = rng

    def entry(self, intensity: float, kind: int = -1, joint: bool = False) -> int:
        """The tier a dispute goes to on first contact: the lowest open tier that takes its intensity,
        raised to its sector's tier when the dispatch centres route it by kind.

        ``joint``: the forest model's joint local-forestry team takes this kind at the township.
        """
        tier = self.open_tiers[-1]
        for t in self.open_tiers:
            if intensity <= self.caps[t]:
                tier = t
                break
        sector = self.sector.get(kind, 0)
        share = self.kind_dispatch  # one draw only when the share is strictly between 0 and 1
        if sector > tier and share > 0 and (share >= 1 or self.rng.random() < share):
            tier = sector
        if joint and 1 in self.open_tiers:
            tier = max(tier, 1)
        return tier

    def after_failure(self, tier: int, intensity: float, petitioned: bool) -> Decision:
        """Where a dispute goes after a session at ``tier`` did not settle it."""
        rng, med = self.rng, self.med
        if rng.random() < self.police.criminal_after_failure * intensity:
            return Decision("police")
        up = [t for t in self.open_tiers if t > tier]
        if up and rng.random() < med.escalate:
            return Decision("climb", up[0])
        if not up and not petitioned and rng.random() < med.petition:
            return Decision("petition", 2)
        if rng.random() < med.litigate:
            return Decision("court")
        return WITHDRAW


class TandemRouting:
    """The queueing-theory check mode's policy: after a session at tier k, climb with
    probability ``escalate[k]``, else resolve (the last tier resolves all it serves)."""

    def __init__(self, escalate: list[float], rng: np.random.Generator) -> None:
        self.escalate = escalate
        self.rng = rng

    def after_session(self, tier: int, tiers: int) -> Decision:
        """Check mode: climb with the tier's escalation chance, else resolved (the last tier resolves all)."""
        if tier < tiers - 1 and self.rng.random() < self.escalate[tier]:
            return Decision("climb", tier + 1)
        return RESOLVE
