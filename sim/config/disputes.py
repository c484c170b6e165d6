"""Disputes and their handling: how they arise and grow, are found, settled, mediated, policed,
judged and petitioned (part of the typed schema, :mod:`sim.config`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.world import KINDS


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

    background_per_10k: float = 0.35  # a year, the serious crimes NOT born of disputes: IM 2020's 2,233
    # serious violent cases cleared / 24.05 M residents = 0.93 per 10,000 (evidence 2.30, 2.10) holds the
    # conversions too; 36-90% of such crimes are dispute-born (evidence 4.8-4.10), so 0.1-0.6 (assumption)
    background_trend: float = -0.078  # a year; China 八类 cases Jan-Aug 2022 -7.8% year on year
    # (evidence 4.4); assumption range -0.12 to 0.0
