"""The world and its staff: the city, the governance models applied in it, who is on hand.

Part of the typed schema (:mod:`sim.config`); the place models, tiers and dispute kinds every
other part names are defined here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PLACE_MODELS = ("urban", "rural", "forest", "mining", "pastoral", "border")
TIERS = ("village", "township", "banner", "city")
"""Mediation tiers, lowest first: the "four-level" non-litigation network."""
KINDS = ("neighbour", "family", "land", "labour", "property", "compensation", "consumer", "other")
"""Dispute kinds (纠纷类型); ``land`` covers farmland, forest and grassland boundaries."""

GRID_WORKERS_2022 = 23912 / 6997
"""Grid workers per grid in 2022: 23,912 workers over 6,997 grids (the article)."""


@dataclass
class CityConfig:
    """Where the world comes from: a banner table or the synthetic county generator."""

    name: str = "hulunbuir"
    kind: str = "table"  # table | synthetic
    table: str = "hulunbuir"  # built-in name or a CSV path (kind=table)
    grids: int | None = 6997  # total grids; None: population / residents_per_grid
    township_centres: int | None = 141  # None: one per township
    village_centres: int | None = 1136  # None: one per village or community
    residents_per_grid: float = 321.0
    # synthetic county (kind=synthetic)
    population: int = 20000
    townships: int = 4
    villages_per_township: int = 6
    area_km2: float = 4000.0
    lat: float = 49.21
    lon: float = 119.77
    model_mix: dict[str, float] = field(
        default_factory=lambda: {"urban": 0.25, "rural": 0.5, "pastoral": 0.25}
    )


@dataclass
class ModelParams:
    """What one "classified" governance model (分类化) changes in a place."""

    dispute_rate: float = 1.0  # multiplier on the base dispute rate
    kind_mix: dict[str, float] = field(
        default_factory=lambda: {
            "neighbour": 23.0, "family": 20.0, "land": 7.0, "labour": 6.0,
            "property": 8.0, "compensation": 8.0, "consumer": 8.0, "other": 20.0,
        }
    )  # default: China 2011 mix (Statistical Yearbook 2012, table 23-9), "other" split
    neighbour_detection: float = 0.0  # daily chance a neighbour head / sentinel spots a dispute
    neighbour_settle: float = 0.0  # chance the neighbour head settles what they spot
    tech_detection: float = 0.0  # daily chance tech platforms (video, hotline) flag a dispute
    grid_settle: float = 0.45  # grid worker settles on the spot (小事不出网格)
    online_mediation: float = 0.0  # share of mediation sessions held online (no travel)
    travel_kmh: float = 40.0  # residents' travel speed to centres
    police_kmh: float = 50.0  # police response speed (mounted/mobile units raise it)
    police_dispatch_hours: float = 0.5
    police_grid: float = 0.0  # grid + police grid (网格+警格): daily chance police learn of a tense dispute
    police_settle: float = 0.5  # police settle an incident on the spot
    legal_support: float = 0.0  # visiting judges, prosecutors, lawyers (三官两员一律): success boost
    enterprise_mediation: float = 0.0  # share of labour/property/compensation cases enterprise mediators take
    joint_handling: float = 0.0  # land disputes go to a joint local-forestry team (township): success boost
    police_officials: float = 0.0  # police as village officials (三务合一): village success boost
    village_police: float = 0.0  # share of villages with a police officer as village official (民警"村官")
    village_police_detection: float = 0.03  # daily chance such an officer learns of a latent dispute
    mobile_police: float = 0.0  # share of call-outs met by mobile police rooms / mounted teams nearby
    enterprise_settle: float = 0.6  # chance an enterprise mediator settles a case they take (calm case)
    fraud_awareness_visit: float = 0.15  # awareness a grid visit adds


@dataclass
class GovernanceConfig:
    """Which model applies where; ``apply=classified`` lets each place keep its own."""

    name: str = "classified"
    apply: str = "classified"  # classified | one of PLACE_MODELS applied everywhere
    banner_models: dict[str, str] = field(default_factory=dict)  # banner name/code -> model
    models: dict[str, ModelParams] = field(
        default_factory=lambda: {m: ModelParams() for m in PLACE_MODELS}
    )
    police_grid_integration: bool = True
    anti_fraud_campaign: bool = True
    village_centres: bool = True  # pre-reform: no village-level non-litigation centres
    township_centres: bool = True
    village_centre_share: float = 1.0  # share of today's village centres that exist (others share one)
    grid_workers_factor: float = 1.0  # the reform's grid build-up: pre-reform had fewer grid workers
    mediators_factor: float = 1.0  # the reform's centre build-up: mediators per centre x this
    fraud_awareness_factor: float = 1.0  # residents' starting fraud awareness x this (pre-reform: no campaign yet)
    enterprise_kinds: list[str] = field(default_factory=lambda: ["labour", "property", "compensation"])
    # kinds the mining model's enterprise mediators and visiting legal professionals help with
    joint_kinds: list[str] = field(default_factory=lambda: ["land"])
    # kinds the forest model's joint local-forestry teams take at the township
    sector_tiers: dict[str, str] = field(
        default_factory=lambda: {"labour": "township", "compensation": "banner", "consumer": "banner"}
    )  # kind -> the lowest tier the dispatch centres send it to: sectoral and professional mediation
    # (行业性专业性调解: labour, traffic-accident and medical, consumer committees) sits at the banner
    # centres and township labour stations, not in village committees (sources: sim/mechanisms/sources)
    kind_dispatch: float = 1.0  # share of found disputes of those kinds the dispatch centres route by kind
    # (四级指挥调度); the rest go by intensity alone, as before the centres (pre_reform)


@dataclass
class TierMediators:
    """Mediators per centre at each tier (the city figure is the whole 1+18+N centre)."""

    village: float = 3.0
    township: float = 4.0
    banner: float = 8.0
    city: float = 36.0


@dataclass
class StaffFactors:
    """Multipliers on staffing in some places (a governance model's places, or one banner)."""

    grid_workers: float = 1.0
    village: float = 1.0  # mediators per village centre
    township: float = 1.0
    banner: float = 1.0
    police_officers: float = 1.0


@dataclass
class StaffCosts:
    """Yearly cost (yuan) of one person on the payroll; a planner's assumptions, not the article's."""

    grid_worker: float = 42000.0  # full- and part-time average incl. subsidies (assumption)
    mediator: TierMediators = field(
        default_factory=lambda: TierMediators(village=12000.0, township=60000.0, banner=80000.0, city=90000.0)
    )  # village mediators are part-time, paid a case subsidy (assumption)
    police_officer: float = 150000.0  # salary and overheads (assumption)


@dataclass
class StaffingConfig:
    """Who is on hand: grid workers, mediators, police, judges."""

    name: str = "baseline_2022"
    grid_workers_per_grid: float = GRID_WORKERS_2022
    mediators: TierMediators = field(default_factory=TierMediators)
    visits_per_worker_day: float = 1.5  # household screening visits per grid worker per working day
    # (grounded: ~4 visits per household a year; scenarios/staffing/baseline_2022.yaml gives the sources)
    duty_load: float = 0.4  # share of a grid worker's time lost to other duties
    police_officers_per_post: float = 6.0
    by_model: dict[str, StaffFactors] = field(
        default_factory=lambda: {m: StaffFactors() for m in PLACE_MODELS}
    )  # by a place's own model, e.g. staffing.by_model.pastoral.grid_workers=0.8
    by_banner: dict[str, StaffFactors] = field(default_factory=dict)  # banner name/code -> factors
    costs: StaffCosts = field(default_factory=StaffCosts)
