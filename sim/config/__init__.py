"""Typed configuration: the schema every scenario is checked against.

Plain dataclasses, so the engine stays free of Hydra: ``sim.hydra_conf`` registers them in
Hydra's ConfigStore (a wrong type or an unknown key is refused before anything runs), and
:func:`sim.checks.check` refuses values that are typed right but make no sense, naming key and
value. The sections live in three modules by subject (:mod:`sim.config.world`,
:mod:`sim.config.disputes`, :mod:`sim.config.scenario`); import them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.config.disputes import (
    CourtParams,
    CrimeParams,
    DetectionParams,
    DisputeParams,
    KindParams,
    MediationParams,
    PetitionParams,
    PoliceParams,
    SettlementParams,
)
from sim.config.scenario import (
    Epidemic,
    FraudParams,
    PhaseConfig,
    PolicyConfig,
    ResidentParams,
    SatisfactionParams,
    ShocksConfig,
    Surge,
    TimelineConfig,
    ValidationParams,
)
from sim.config.world import (
    GRID_WORKERS_2022,
    KINDS,
    PLACE_MODELS,
    TIERS,
    CityConfig,
    GovernanceConfig,
    ModelParams,
    StaffCosts,
    StaffFactors,
    StaffingConfig,
    TierMediators,
)


@dataclass
class Config:
    """A whole scenario. ``seed`` makes every random stream; ``scale`` < 1 simulates a sample of whole townships (sim.world.sample)."""

    seed: int = 0
    days: int = 365
    scale: float = 1.0
    progress: bool = False
    city: CityConfig = field(default_factory=CityConfig)
    governance: GovernanceConfig = field(default_factory=GovernanceConfig)
    staffing: StaffingConfig = field(default_factory=StaffingConfig)
    disputes: DisputeParams = field(default_factory=DisputeParams)
    mediation: MediationParams = field(default_factory=MediationParams)
    police: PoliceParams = field(default_factory=PoliceParams)
    crime: CrimeParams = field(default_factory=CrimeParams)
    detection: DetectionParams = field(default_factory=DetectionParams)
    settlement: SettlementParams = field(default_factory=SettlementParams)
    courts: CourtParams = field(default_factory=CourtParams)
    petitions: PetitionParams = field(default_factory=PetitionParams)
    timeline: TimelineConfig = field(default_factory=TimelineConfig)
    residents: ResidentParams = field(default_factory=ResidentParams)
    fraud: FraudParams = field(default_factory=FraudParams)
    shocks: ShocksConfig = field(default_factory=ShocksConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    satisfaction: SatisfactionParams = field(default_factory=SatisfactionParams)
    validation: ValidationParams = field(default_factory=ValidationParams)



def __getattr__(name: str) -> Any:
    """``sim.config.check`` still names :func:`sim.checks.check` (the checks moved there; imported
    lazily, since :mod:`sim.checks` itself imports the schema from here)."""
    if name == "check":
        from sim.checks import check

        return check
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "GRID_WORKERS_2022", "KINDS", "PLACE_MODELS", "TIERS", "CityConfig", "Config", "CourtParams", "CrimeParams",
    "DetectionParams", "DisputeParams", "Epidemic", "FraudParams", "GovernanceConfig", "KindParams",
    "MediationParams", "ModelParams", "PetitionParams", "PhaseConfig", "PoliceParams", "PolicyConfig",
    "ResidentParams", "SatisfactionParams", "SettlementParams", "ShocksConfig", "StaffCosts", "StaffFactors",
    "StaffingConfig", "Surge", "TierMediators", "TimelineConfig", "ValidationParams",
]
