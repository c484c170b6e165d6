"""Residents, fraud, shocks, satisfaction, the check mode and the reform timeline (part of the typed
schema, :mod:`sim.config`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.world import GovernanceConfig


@dataclass
class ResidentParams:
    """Residents' individual state: tension, trust, propensity to report, fraud awareness."""

    trust_mean: float = 0.7
    trust_learning: float = 0.2  # how far one closure moves a party's trust
    tension_mean: float = 0.3
    tension_decay_days: float = 60.0
    awareness_mean: float = 0.6
    awareness_decay_days: float = 180.0
    awareness_memory: float = 0.5  # share of raised awareness that becomes the resident's lasting floor
    concentration: float = 4.0  # Beta concentration of residents' spread around the means
    tension_feedback: float = 0.3  # tension a closure adds per unit of satisfaction below neutral
    satisfaction_neutral: float = 0.6  # satisfaction at which a closure leaves tension unchanged


@dataclass
class FraudParams:
    """Telecom and online fraud (电信网络诈骗): attempts and their success."""

    attempts_per_10k_day: float = 1.3
    success: float = 0.04  # chance an attempt succeeds against a fully unaware resident
    campaign_boost: float = 0.2  # daily awareness police campaigns add to the reached residents
    campaign_reach_per_10k_day: float = 20.0
    victim_trust: float = 0.95  # a victim's trust in institutions x this
    victim_awareness: float = 0.5  # awareness a victim gains


@dataclass
class Epidemic:
    """An epidemic (平急结合, "normal + emergency"): grid workers diverted to emergency duty."""

    start_day: int = 0
    days: int = 0  # 0: no epidemic
    diverted: float = 0.6  # share of grid workers' visiting time taken by emergency duty
    dispute_rate: float = 1.0  # multiplier on every kind's rate while it lasts (lockdown quarrels)


@dataclass
class Surge:
    """A stretch of days when one kind of dispute arises more often in some places."""

    kind: str = "land"
    start_day: int = 0  # day of year; a surge may wrap past 31 December
    days: int = 0  # 0: no surge
    factor: float = 1.0  # multiplier on the kind's rate
    models: list[str] = field(default_factory=list)  # places (by their own model); empty: everywhere


@dataclass
class ShocksConfig:
    """Shocks (group ``shocks/``): an epidemic, spring-grazing and year-end wage-arrears surges."""

    name: str = "none"
    epidemic: Epidemic = field(default_factory=Epidemic)
    grazing: Surge = field(default_factory=lambda: Surge(kind="land", models=["pastoral"]))
    wage_arrears: Surge = field(default_factory=lambda: Surge(kind="labour"))


@dataclass
class PolicyConfig:
    """The policy bundle in force (group ``policy/``); its files also set governance and fraud keys."""

    name: str = "baseline"


@dataclass
class SatisfactionParams:
    """How satisfied the parties are when their dispute closes (a score in [0, 1]).

    A closure scores its outcome's value, minus ``per_day`` for each day the dispute was open
    (from its creation) and ``per_level`` for each level it climbed (grid 0 .. city 4). The
    run's ``satisfaction`` is the mean over closed disputes; the article's 2022 figure for
    residents' satisfaction with public safety (平安建设满意度) is 99.33%.
    """

    resolved: float = 0.97
    litigated: float = 0.55
    withdrawn: float = 0.45
    criminal: float = 0.1
    per_day: float = 0.0015
    per_level: float = 0.01


@dataclass
class ValidationParams:
    """Queueing-theory check mode (``validation=tandem`` / ``mmc``): every other mechanism off.

    Disputes arrive as a Poisson process at ``arrivals_per_day`` into the first tier; tier k has
    ``servers[k]`` mediators with exponential service of mean ``service_days[k]``; after service a
    case climbs one tier with probability ``escalate[k]`` (the last tier resolves all it serves).
    One to four tiers: village, township, banner, city. Statistics start after ``warmup_days``.
    """

    mode: str = "none"  # none | tandem | mmc
    arrivals_per_day: float = 1.0
    servers: list[int] = field(default_factory=lambda: [1])
    service_days: list[float] = field(default_factory=lambda: [0.5])
    escalate: list[float] = field(default_factory=lambda: [0.0])
    warmup_days: float = 0.0


@dataclass
class PhaseConfig:
    """One phase of a reform timeline: from ``start`` the system sits at reform ``level``.

    ``level`` blends every number of the governance config between the system before the reform
    (``timeline.before``, level 0) and the run's governance (level 1); a flag left null takes the
    value of the nearer end (before below level 1), else the phase sets it.
    """

    start: str = "2019-01-01"  # first day of the phase (ISO date)
    level: float = 0.0
    police_grid_integration: bool | None = None
    anti_fraud_campaign: bool | None = None
    village_centres: bool | None = None
    township_centres: bool | None = None
    note: str = ""


@dataclass
class TimelineConfig:
    """A reform timeline (group ``timeline/``): ``none`` runs one system for ``days`` days."""

    name: str = "none"
    start: str = "2022-01-01"  # the date of day 0; ``by_year`` counts calendar years from it
    before: str = "pre_reform"  # governance preset of the system before the reform (level 0)
    phases: list[PhaseConfig] = field(default_factory=list)
    before_governance: GovernanceConfig | None = None  # filled in from ``before`` when composed; do not set
