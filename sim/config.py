"""Typed configuration: the schema every scenario is checked against.

Plain dataclasses, so the engine stays free of Hydra: ``sim.hydra_conf`` registers them in
Hydra's ConfigStore (a wrong type or an unknown key is refused before anything runs), and
:func:`check` refuses values that are typed right but make no sense, naming key and value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sim.errors import ShouwangError
from sim.limits import check_ranges

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


@dataclass
class KindParams:
    """How one kind of dispute behaves (纠纷类型): growth while latent, hardness, session length."""

    growth: float = 1.0  # multiplier on disputes.growth_per_day while latent
    hardness: float = 0.0  # subtracted from a mediation session's success chance
    service: float = 1.0  # multiplier on a tier's mean session work (mediation.service_days)
    season_peak_day: int = -1  # day of year of the seasonal peak (-1: no seasonal swing)


def _kinds() -> dict[str, KindParams]:
    growth = (1.0, 0.9, 1.2, 1.1, 1.0, 1.1, 0.8, 0.9)
    hardness = (0.0, 0.05, 0.1, 0.08, 0.08, 0.05, -0.05, 0.0)
    service = (0.8, 1.0, 1.4, 1.2, 1.3, 1.2, 0.7, 1.0)
    # seasonal peaks: neighbour quarrels in summer, family rows around the Spring Festival, land and
    # grassland boundaries at spring grazing and ploughing, wage arrears at year end
    peak = {"neighbour": 190, "family": 35, "land": 110, "labour": 355}
    return {k: KindParams(g, h, v, peak.get(k, -1)) for k, g, h, v in zip(KINDS, growth, hardness, service)}


@dataclass
class DetectionParams:
    """How latent disputes come to light (the detection channels' shared coefficients)."""

    visit_notice: float = 0.7  # chance a household visit notices a dispute that is fully visible
    visibility_floor: float = 0.3  # visibility of a dispute at intensity 0
    visibility_slope: float = 0.7  # visibility added per unit of intensity (capped at 1)
    police_grid_intensity: float = 0.6  # intensity from which the grid + police grid learns of a dispute
    self_report_gain: float = 2.0  # self-report chance x this x intensity (capped)
    self_report_cap: float = 1.5  # intensity above which self-reporting rises no further
    household_size: float = 2.6  # residents per household (visits are to households)


@dataclass
class SettlementParams:
    """On-the-spot settlement (小事不出网格) and the call-out's effects."""

    calm_limit: float = 1.5  # settlement chance x clip(calm_limit - intensity, 0, 1)
    police_calm_limit: float = 1.6  # the same for police at a call-out
    grid_cap: float = 0.98  # highest chance a grid worker settles
    worker_skill_spread: float = 0.15  # lognormal sigma of grid workers' skill
    enterprise_days: float = 2.0  # mean days an enterprise mediator takes over a case
    mobile_km_share: float = 0.3  # a mobile police room on patrol is this share of the post's distance away
    callout_calming: float = 0.3  # share of intensity a call-out takes away when it does not settle
    police_arrival_days: float = 0.1  # days on the scene before a call-out ends
    village_police_hours: float = 0.1  # a village police official's fixed reaction time (hours)


@dataclass
class CourtParams:
    """Basic people's courts (基层法院) with their people's tribunals (人民法庭), one per banner.

    A dispute reaches court from failed mediation or straight from the parties (``direct_share``
    at dispatch); the court refers a share of direct filings to pre-suit mediation (诉前调解/委派调解)
    at a centre of the network and judges the rest, and the ones that mediation did not settle,
    after a queue for a judge's case slot. The dispute closes at judgment or settlement.
    """

    judges_per_court: float = 34.0  # IM: 4,153 judges in 123 courts (evidence 2.19)
    case_days: float = 60.0  # mean days from filing (立案) to judgment: Hohhot civil and all courts 2022
    # average 60 days, 75 in 2021 (evidence 2.26); one basic court 30.5 days (evidence 6.13); range 30-90
    case_shape: float = 2.0  # gamma shape of the days to judgment (assumption, range 1-4: right-skewed,
    # almost all within the simple procedure's 3 months and the ordinary 6 months, evidence 6.11)
    caseload_per_judge: float = 45.0  # cases a judge carries at once: basic-court judges closed 274 cases
    # each in 2022 (evidence 6.1) x 60 days a case (evidence 2.26) / 365 (Little's law); range 20-50
    dispute_share: float = 0.3  # share of judges' case slots open to the kinds of dispute simulated here
    # (assumption, range 0.2-0.5): civil and commercial cases were 434k of 784k closed in IM 2019
    # (evidence 2.21), and loans and contracts, not simulated, are much of those
    direct_share: float = 0.6  # share of found disputes not settled on the spot that the parties take
    # straight to court (at dispatch), for a dispute at the police threshold; x intensity / threshold
    # below it (found early, seldom sued). Assumption, range 0.3-1, sized to a volume: IM courts took
    # 867k cases in 2022 for 24.05 M residents, ~360 per 10,000 (evidence 2.20, 2.10); civil and
    # commercial ~55% of them (evidence 2.21); the simulated kinds assumed 20-50% of civil -> 40-100
    # filings per 10,000 a year. At the 2022 calibration ~190 per 10,000 reach dispatch at a mean
    # intensity ~0.5, so 0.6 gives ~55 per 10,000. Calibration should set it against court filings.
    referral_share: float = 0.36  # share of direct filings the court refers to pre-suit mediation:
    # 36% of disputes brought to court in 2023 H1 (evidence 6.8); the diversion rate rose from 29% to
    # 57% over 2023 (evidence 6.9); range 0.29-0.57. Filings after failed mediation go to judgment
    # (the centre's transfer window files them directly, evidence 2.5)
    referral_success: float = 0.65  # pre-suit mediation success: 65.04% in 2020 (evidence 6.4), 62.88%
    # cumulative to 2021 (evidence 6.5), ~68.7% in 2023 (evidence 6.9); range 0.6-0.7
    referral_days: float = 14.0  # mean days of pre-suit mediation (exponential, cut at the limit):
    # 12 days in 2021 (evidence 6.3), 13.9 in 2023 H1 (evidence 6.8), 23.3 in 2020 (evidence 6.4);
    # range 12-23
    referral_limit_days: float = 30.0  # pre-suit mediation's time limit (evidence 6.10): then back to court
    online_share: float = 0.1  # share of cases heard online (no travel to court): 1.275 M online hearings
    # in 2021 (evidence 6.5) against ~14 M civil first-instance cases (evidence 6.4) is ~9%; Beijing
    # 67% (evidence 6.6); the article: 104 courts hold hearings online. Assumption, range 0.05-0.67
    hearing_trips: float = 2.0  # round trips the parties make to court for a case heard in person
    # (filing and hearing; assumption, range 1-3)


@dataclass
class PetitionParams:
    """Petitions (信访): letters and visits to the banner's petition office.

    A petition arrives after a failed mediation session at any tier (``after_failure``) or straight
    from the parties (``direct_share`` at dispatch); the office handles it within the norm and
    refers the dispute to the banner centre (交办), where mediation goes on; a dispute petitions once.
    """

    after_failure: float = 0.02  # chance a failed session ends in a petition instead of the next
    # step (assumption, range 0.005-0.05; no petition volumes for Hulunbuir or IM were found,
    # evidence 2.36)
    direct_share: float = 0.02  # share of found disputes not settled on the spot that go first to the
    # petition office, for a dispute at the police threshold, x intensity / threshold below it
    # (assumption, range 0.005-0.06: ~2 per 10,000 residents a year at ~190 per 10,000 reaching
    # dispatch at a mean intensity ~0.5, range 0.5-6)
    handling_days: float = 30.0  # mean days the office takes (exponential, cut at the limit; assumption,
    # range 15-60)
    limit_days: float = 90.0  # 60 days to handle a petition, extendable by 30 (evidence 6.12)


@dataclass
class DisputeParams:
    """How disputes arise and grow (rates per 10,000 residents a year)."""

    rate_per_10k: float = 330.0
    initial_intensity: float = 0.25
    growth_per_day: float = 0.025  # latent intensity growth
    waiting_growth_per_day: float = 0.01  # intensity added per day in a queue
    police_threshold: float = 1.0  # latent intensity at which a dispute becomes an incident
    seasonality: float = 0.3  # amplitude of the seasonal swing of each kind
    self_report: float = 0.05  # daily self-report chance at trust 1 and intensity 1
    intensity_noise: float = 0.3  # lognormal sigma of a new dispute's intensity
    fade_per_day: float = 0.0  # daily chance a calm latent dispute settles between the parties (自行和解),
    # falling to 0 as intensity nears the police threshold (assumption; see sources)
    acute_share: float = 0.0  # share of new disputes that flare up at once (a fight): they start at the
    # police threshold and reach the police the day they arise unless found first (assumption; see sources)
    growth_noise: float = 0.5  # lognormal sigma of a day's latent growth
    kinds: dict[str, KindParams] = field(default_factory=_kinds)


@dataclass
class MediationParams:
    """Centres' service and outcomes by tier (village, township, banner, city)."""

    service_days: list[float] = field(default_factory=lambda: [5.0, 8.0, 12.0, 15.0])
    # mean calendar days a case takes a full-time mediator (sessions, investigation, the parties'
    # availability), within the one-month norm (evidence 1.13); court-referred mediation took 12-23
    # days on average (evidence 6.3, 6.4, 6.8)
    caseload: list[int] = field(default_factory=lambda: [3, 5, 6, 6])
    # cases a mediator carries at once, by tier (assumption: 2-10; nationally ~4.7 cases per mediator
    # a year, evidence 1.1 and 1.3, so loads are light on average)
    success: list[float] = field(default_factory=lambda: [0.80, 0.75, 0.70, 0.70])
    # a session's base chance of settling, by tier (before skill, actors and penalties; log-odds scale)
    intensity_penalty: float = 1.5  # log-odds lost per unit of intensity above 0.5
    wait_penalty: float = 0.05  # log-odds lost per day waited
    patience_days: float = 45.0  # mean patience in a queue before withdrawing
    escalate: float = 0.8  # share of failures that climb a tier (else court or withdraw)
    litigate: float = 0.6  # of failures that do not climb: share that go to court
    petition: float = 0.1  # of failures at the top: share that petition (信访)
    availability: list[float] = field(default_factory=lambda: [0.5, 0.8, 1.0, 1.0])
    skill: list[float] = field(default_factory=lambda: [1.0, 1.05, 1.1, 1.15])
    skill_spread: float = 0.1  # lognormal sigma of mediators' skill around the tier's
    entry_cap: list[float] = field(default_factory=lambda: [1.0, 1.5, 2.2])
    # highest intensity the village, township and banner tiers take on first contact (dispatch);
    # the city takes the rest
    failure_intensity: float = 0.1  # intensity a failed session adds
    travel_hours_per_day: float = 8.0  # hours a day parties can travel to a centre


@dataclass
class PoliceParams:
    """Police posts (派出所, one per township) and the civil-to-criminal conversion (民转刑)."""

    criminal_base: float = 0.04  # chance an incident becomes a criminal case at intensity 1
    criminal_per_hour: float = 0.01  # added per hour of response time
    criminal_after_failure: float = 0.05  # chance a failed, tense dispute turns violent


@dataclass
class CrimeParams:
    """Serious crime apart from disputes (the article's "eight major categories", 八类主要刑事案件).

    Serious crimes in a year = this background + the disputes that turned criminal (民转刑).
    """

    background_per_10k: float = 0.9  # a year; IM 2020: 2,233 serious violent cases cleared / 24.05 M residents
    # = 0.93 per 10,000 (evidence 2.30, 2.10); assumption range 0.5-1.5
    background_trend: float = -0.078  # a year; China 八类 cases Jan-Aug 2022 -7.8% year on year
    # (evidence 4.4); assumption range -0.12 to 0.0


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


# --- value checks -------------------------------------------------------------------------

def check(cfg: Config) -> Config:
    """Refuse values that are well-typed but meaningless; return ``cfg`` unchanged if fine.

    Numeric ranges (upper bounds too) are in :mod:`sim.limits`; the rest are structural checks.

    Raises:
        ShouwangError: naming the first offending key and its value.
    """
    if isinstance(cfg.seed, bool) or not isinstance(cfg.seed, int):
        raise ShouwangError(f"seed: must be an integer, got {cfg.seed!r}")
    if cfg.seed < 0:
        raise ShouwangError(f"seed: must be >= 0, got {cfg.seed}")
    if cfg.days <= 0:
        raise ShouwangError(f"days: must be > 0, got {cfg.days}")
    _finite(cfg.scale, "scale")
    if not 0 < cfg.scale <= 1:
        raise ShouwangError(f"scale: must be in (0, 1], got {cfg.scale}")
    check_ranges(cfg)  # every numeric key inside its documented range (sim/limits.py)
    c = cfg.city
    if c.kind not in ("table", "synthetic"):
        raise ShouwangError(f"city.kind: must be 'table' or 'synthetic', got {c.kind!r}")
    if c.kind == "synthetic":
        for key in ("population", "townships", "villages_per_township"):
            if getattr(c, key) < 1:
                raise ShouwangError(f"city.{key}: must be >= 1, got {getattr(c, key)}")
        _check_model_keys(c.model_mix, "city.model_mix")
        if sum(c.model_mix.values()) <= 0:
            raise ShouwangError("city.model_mix: weights must not all be zero")
    for key in ("grids", "township_centres", "village_centres"):
        value = getattr(c, key)
        if value is not None and value < 1:
            raise ShouwangError(f"city.{key}: must be >= 1 or null, got {value}")
    g = cfg.governance
    if g.apply != "classified" and g.apply not in PLACE_MODELS:
        raise ShouwangError(
            f"governance.apply: unknown model {g.apply!r} (choose classified or "
            f"{', '.join(PLACE_MODELS)})"
        )
    _check_model_keys(g.models, "governance.models")
    missing = [m for m in PLACE_MODELS if m not in g.models]
    if missing:
        raise ShouwangError(f"governance.models: missing model {missing[0]!r}")
    for banner, model in g.banner_models.items():
        if model not in PLACE_MODELS:
            raise ShouwangError(
                f"governance.banner_models.{banner}: unknown model {model!r} "
                f"(choose from {', '.join(PLACE_MODELS)})"
            )
    for m, params in g.models.items():
        for kind, weight in params.kind_mix.items():
            if kind not in KINDS:
                raise ShouwangError(
                    f"governance.models.{m}.kind_mix: unknown dispute kind {kind!r} "
                    f"(choose from {', '.join(KINDS)})"
                )
            if weight < 0:
                raise ShouwangError(f"governance.models.{m}.kind_mix.{kind}: must be >= 0, got {weight}")
        if sum(params.kind_mix.values()) <= 0:
            raise ShouwangError(f"governance.models.{m}.kind_mix: weights must not all be zero")
        for key in ("travel_kmh", "police_kmh"):
            if getattr(params, key) <= 0:
                raise ShouwangError(f"governance.models.{m}.{key}: must be > 0, got {getattr(params, key)}")
    s = cfg.staffing
    for tier in TIERS:
        value = getattr(s.mediators, tier)
        if value < 0:
            raise ShouwangError(f"staffing.mediators.{tier}: must be >= 0, got {value}")
    if s.mediators.village == 0 and g.village_centres:
        raise ShouwangError(
            "staffing.mediators.village: 0 mediators at a tier that receives disputes "
            "(set governance.village_centres=false to close the village tier instead)"
        )
    if s.mediators.township == 0 and g.township_centres:
        raise ShouwangError(
            "staffing.mediators.township: 0 mediators at a tier that receives disputes "
            "(set governance.township_centres=false to close the township tier instead)"
        )
    for tier in ("banner", "city"):
        if getattr(s.mediators, tier) == 0:
            raise ShouwangError(f"staffing.mediators.{tier}: 0 mediators at a tier that receives disputes")
    if s.police_officers_per_post <= 0:
        raise ShouwangError(f"staffing.police_officers_per_post: must be > 0, got {s.police_officers_per_post}")
    for key in ("judges_per_court", "case_days", "case_shape", "caseload_per_judge", "dispute_share",
                "referral_limit_days"):
        if getattr(cfg.courts, key) <= 0:
            raise ShouwangError(f"courts.{key}: must be > 0, got {getattr(cfg.courts, key)}")
    if cfg.courts.direct_share + cfg.petitions.direct_share > 1:  # shares of one draw
        raise ShouwangError(
            f"petitions.direct_share: courts.direct_share + petitions.direct_share must be <= 1, got "
            f"{cfg.courts.direct_share + cfg.petitions.direct_share}"
        )
    if cfg.petitions.limit_days <= 0:
        raise ShouwangError(f"petitions.limit_days: must be > 0, got {cfg.petitions.limit_days}")
    med = cfg.mediation
    for key in ("service_days", "success", "availability", "skill", "caseload"):
        values = getattr(med, key)
        if len(values) != len(TIERS):
            raise ShouwangError(f"mediation.{key}: needs {len(TIERS)} values (one per tier), got {len(values)}")
        for i, v in enumerate(values):
            if v <= 0 or (key == "availability" and v > 1) or (key == "success" and v >= 1):
                bound = {"success": "in (0, 1)", "availability": "in (0, 1]"}.get(key, "> 0")
                raise ShouwangError(f"mediation.{key}[{i}]: must be {bound}, got {v}")
    _check_planning(cfg)
    start = cfg.residents.awareness_mean * g.fraud_awareness_factor
    if not 0 < start < 1:
        raise ShouwangError(
            f"governance.fraud_awareness_factor: residents.awareness_mean x factor must be in (0, 1), "
            f"got {g.fraud_awareness_factor}"
        )
    _check_validation(cfg.validation)
    if cfg.validation.mode != "none" and cfg.validation.warmup_days > cfg.days:
        raise ShouwangError(f"validation.warmup_days: must be at most days ({cfg.days}), got {cfg.validation.warmup_days}")
    return cfg


def _check_validation(v: ValidationParams) -> None:
    if v.mode not in ("none", "tandem", "mmc"):
        raise ShouwangError(f"validation.mode: must be none, tandem or mmc, got {v.mode!r}")
    if v.mode == "none":
        return
    n = len(v.servers)
    if not 1 <= n <= len(TIERS):
        raise ShouwangError(f"validation.servers: needs 1 to {len(TIERS)} tiers, got {n}")
    if v.mode == "mmc" and n != 1:
        raise ShouwangError(f"validation.servers: mode mmc has one tier, got {n}")
    for key in ("service_days", "escalate"):
        if len(getattr(v, key)) != n:
            raise ShouwangError(
                f"validation.{key}: needs {n} values (one per tier in validation.servers), got {len(getattr(v, key))}"
            )
    if v.arrivals_per_day <= 0:
        raise ShouwangError(f"validation.arrivals_per_day: must be > 0, got {v.arrivals_per_day}")
    for i, (c, s, e) in enumerate(zip(v.servers, v.service_days, v.escalate)):
        if c < 1:
            raise ShouwangError(f"validation.servers[{i}]: must be >= 1, got {c}")
        if s <= 0:
            raise ShouwangError(f"validation.service_days[{i}]: must be > 0, got {s}")
        if not 0 <= e <= 1:
            raise ShouwangError(f"validation.escalate[{i}]: a probability must be in [0, 1], got {e}")


def _check_planning(cfg: Config) -> None:
    """Staffing factors, reform build-up and shocks (banner names are checked against the world)."""
    s, g = cfg.staffing, cfg.governance
    _check_model_keys(s.by_model, "staffing.by_model")
    if g.village_centres and g.village_centre_share <= 0:
        raise ShouwangError(
            f"governance.village_centre_share: must be > 0 while village centres are open, got "
            f"{g.village_centre_share} (set governance.village_centres=false to close the tier)"
        )
    for surge in ("grazing", "wage_arrears"):
        sh = getattr(cfg.shocks, surge)
        if sh.kind not in KINDS:
            raise ShouwangError(f"shocks.{surge}.kind: unknown dispute kind {sh.kind!r} (choose from {', '.join(KINDS)})")
        for m in sh.models:
            if m not in PLACE_MODELS:
                raise ShouwangError(f"shocks.{surge}.models: unknown model {m!r} (choose from {', '.join(PLACE_MODELS)})")
        if sh.days > 365:
            raise ShouwangError(f"shocks.{surge}.days: at most 365, got {sh.days}")


def _finite(value: Any, key: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ShouwangError(f"{key}: must be a finite number, got {value}")


def _check_model_keys(mapping: dict, key: str) -> None:
    for name in mapping:
        if name not in PLACE_MODELS:
            raise ShouwangError(f"{key}: unknown model {name!r} (choose from {', '.join(PLACE_MODELS)})")
