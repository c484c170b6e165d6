"""Valid ranges of every numeric config key, upper bounds included, checked before anything is built.

Each entry says what a value means and why its bounds are where they are. Lower bounds are the
model's meaning (a probability is in [0, 1], a mean of a beta distribution is strictly inside
it, a decay time of 0 days divides by zero). Upper bounds keep a run finite: past them a run
would hang or exhaust memory, or the value has no meaning for a county (a 1,000-mediator
village centre). Bounds marked "assumption" are generous planning limits, not facts.

Keys are patterns: ``*`` stands for one name in a mapping (a governance model, a banner, a
dispute kind) and ``[]`` for every item of a list. :func:`numeric_keys` walks a config and
yields every numeric leaf with its pattern, so ``tests/unit/test_limits.py`` fails, naming the
key, when a new numeric field has no range here.

:func:`budget` adds the run-wide figures (residents, disputes, agents, memory) a run would
need, refused with the figure when it exceeds what one machine can hold.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from sim.errors import ShouwangError


@dataclass(frozen=True)
class Range:
    """Valid values ``lo .. hi``; ``open_lo``/``open_hi`` exclude the bound itself."""

    lo: float
    hi: float
    why: str = ""
    open_lo: bool = False
    open_hi: bool = False

    def holds(self, value: float) -> bool:
        """Whether ``value`` lies in the range (a bound included unless the range is open there)."""
        above = value > self.lo if self.open_lo else value >= self.lo
        below = value < self.hi if self.open_hi else value <= self.hi
        return above and below

    def text(self) -> str:
        """The range in interval notation (``[0, 1]``, ``(0, 365]``), as error messages show it."""
        return (f"{'(' if self.open_lo else '['}{_num(self.lo)}, "
                f"{_num(self.hi)}{')' if self.open_hi else ']'}")


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


P = Range(0, 1, "a probability or share")
MEAN = Range(0, 1, "mean of a beta distribution: strictly between 0 and 1", open_lo=True, open_hi=True)
FACTOR = Range(0, 100, "a multiplier (assumption: x100 is beyond any planning question)")
DAYS = Range(0, 100_000, "days (about 274 years)")
DECAY = Range(1, 100_000, "a decay time in days: under a day means nothing with daily steps, 0 divides by zero")
PER_CENTRE = Range(0, 1_000, "people per centre or post (assumption: the city centre has 36)")
YUAN = Range(0, 1e9, "yuan a year per person")
WEIGHT = Range(0, 1e6, "a relative weight (normalised)")

RANGES: dict[str, Range] = {
    "seed": Range(0, 2**63 - 1, "a SeedSequence entropy"),
    "days": Range(1, 100_000, "simulated days (about 274 years)"),
    "scale": Range(0, 1, "the fraction of the population simulated", open_lo=True),
    # city
    "city.grids": Range(1, 1_000_000, "grids in the city (Hulunbuir: 6,997)"),
    "city.township_centres": Range(1, 100_000, "township mediation centres (Hulunbuir: 141)"),
    "city.village_centres": Range(1, 1_000_000, "village mediation centres (Hulunbuir: 1,136)"),
    "city.residents_per_grid": Range(1, 100_000, "residents per grid when grids are derived (Hulunbuir: 321)"),
    "city.population": Range(1, 50_000_000, "residents of a synthetic county (memory: ~160 B each)"),
    "city.townships": Range(1, 10_000, "townships of a synthetic county"),
    "city.villages_per_township": Range(1, 1_000, "villages per township of a synthetic county"),
    "city.area_km2": Range(0, 10_000_000, "area in km2", open_lo=True),
    "city.lat": Range(-90, 90, "latitude in degrees"),
    "city.lon": Range(-180, 180, "longitude in degrees"),
    "city.model_mix.*": WEIGHT,
    # governance
    "governance.village_centre_share": P,
    "governance.kind_dispatch": P,
    "governance.grid_workers_factor": FACTOR,
    "governance.mediators_factor": FACTOR,
    "governance.fraud_awareness_factor": FACTOR,
    "governance.models.*.dispute_rate": FACTOR,
    "governance.models.*.kind_mix.*": WEIGHT,
    "governance.models.*.travel_kmh": Range(0, 1_000, "km/h", open_lo=True),
    "governance.models.*.police_kmh": Range(0, 1_000, "km/h", open_lo=True),
    "governance.models.*.police_dispatch_hours": Range(0, 240, "hours"),
    **{f"governance.models.*.{k}": P for k in (
        "neighbour_detection", "neighbour_settle", "tech_detection", "grid_settle", "online_mediation",
        "police_grid", "police_settle", "legal_support", "enterprise_mediation", "joint_handling",
        "police_officials", "village_police", "village_police_detection", "mobile_police",
        "enterprise_settle", "fraud_awareness_visit")},
    # staffing
    "staffing.grid_workers_per_grid": Range(0, 100, "grid workers per grid (2022: 3.42)"),
    **{f"staffing.mediators.{t}": PER_CENTRE for t in ("village", "township", "banner", "city")},
    "staffing.visits_per_worker_day": Range(0, 1_000, "household visits per worker per day"),
    "staffing.duty_load": P,
    "staffing.police_officers_per_post": Range(0, 10_000, "officers per police post", open_lo=True),
    **{f"staffing.{by}.*.{f}": FACTOR for by in ("by_model", "by_banner")
       for f in ("grid_workers", "village", "township", "banner", "police_officers")},
    "staffing.costs.grid_worker": YUAN,
    **{f"staffing.costs.mediator.{t}": YUAN for t in ("village", "township", "banner", "city")},
    "staffing.costs.police_officer": YUAN,
    # disputes
    "disputes.rate_per_10k": Range(0, 100_000, "disputes per 10,000 residents a year (calibrated: ~310)"),
    "disputes.initial_intensity": Range(0, 10, "intensity (the police threshold is 1)"),
    "disputes.growth_per_day": Range(0, 10, "intensity a day"),
    "disputes.waiting_growth_per_day": Range(0, 10, "intensity a day"),
    "disputes.police_threshold": Range(0, 100, "intensity", open_lo=True),
    "disputes.seasonality": P,
    "disputes.self_report": P,
    "disputes.fade_per_day": P,
    "disputes.acute_share": P,
    "disputes.intensity_noise": Range(0, 5, "lognormal sigma of a new dispute's intensity"),
    "disputes.growth_noise": Range(0, 5, "lognormal sigma of a day's latent growth"),
    "disputes.kinds.*.growth": FACTOR,
    "disputes.kinds.*.hardness": Range(-1, 1, "success chance taken off a session"),
    "disputes.kinds.*.season_peak_day": Range(-1, 364, "day of the year (-1: no seasonal swing)"),
    "disputes.kinds.*.service": Range(0, 100, "a multiplier on session work", open_lo=True),
    # detection and on-the-spot settlement
    "detection.visit_notice": P,
    "detection.visibility_floor": P,
    "detection.visibility_slope": Range(0, 100, "visibility per unit of intensity"),
    "detection.police_grid_intensity": Range(0, 100, "intensity"),
    "detection.self_report_gain": Range(0, 100, "a multiplier"),
    "detection.self_report_cap": Range(0, 100, "intensity"),
    "detection.household_size": Range(1, 20, "residents per household"),
    "settlement.calm_limit": Range(0, 100, "intensity"),
    "settlement.police_calm_limit": Range(0, 100, "intensity"),
    "settlement.grid_cap": P,
    "settlement.worker_skill_spread": Range(0, 5, "lognormal sigma"),
    "settlement.enterprise_days": Range(0, 3_650, "days", open_lo=True),
    "settlement.mobile_km_share": P,
    "settlement.callout_calming": P,
    "settlement.police_arrival_days": Range(0, 365, "days"),
    "settlement.village_police_hours": Range(0, 240, "hours"),
    # courts, crime, the reform timeline
    "courts.judges_per_court": Range(0, 10_000, "judges per court", open_lo=True),
    "courts.case_days": Range(0, 3_650, "days a judge holds a case", open_lo=True),
    "courts.case_shape": Range(0, 100, "gamma shape of the days to judgment", open_lo=True),
    "courts.caseload_per_judge": Range(0, 10_000, "cases a judge carries at once", open_lo=True),
    "courts.dispute_share": Range(0, 1, "share of judges' case slots", open_lo=True),
    "courts.direct_share": P,
    "courts.referral_share": P,
    "courts.referral_success": P,
    "courts.referral_days": Range(0, 3_650, "days of pre-suit mediation", open_lo=True),
    "courts.referral_limit_days": Range(0, 3_650, "days", open_lo=True),
    "courts.online_share": P,
    "courts.hearing_trips": Range(0, 100, "round trips to court"),
    "petitions.after_failure": P,
    "petitions.direct_share": P,
    "petitions.handling_days": Range(0, 3_650, "days a petition office takes", open_lo=True),
    "petitions.limit_days": Range(0, 3_650, "days", open_lo=True),
    "crime.background_per_10k": Range(0, 1_000, "serious crimes per 10,000 residents a year"),
    "crime.background_trend": Range(-1, 1, "relative change a year"),
    "timeline.phases[].level": Range(0, 1, "reform level: 0 before, 1 the run's governance"),
    # mediation (per tier: village, township, banner, city)
    "mediation.service_days[]": Range(0, 3_650, "days a session takes", open_lo=True),
    "mediation.success[]": Range(0, 1, "a probability", open_lo=True),
    "mediation.availability[]": Range(0, 1, "a share of the day", open_lo=True),
    "mediation.skill[]": Range(0, 100, "a multiplier", open_lo=True),
    "mediation.intensity_penalty": Range(0, 10, "success lost per unit of intensity"),
    "mediation.wait_penalty": Range(0, 10, "log-odds of success lost a day waited"),
    "mediation.patience_days": Range(0, 100_000, "days", open_lo=True),
    "mediation.skill_spread": Range(0, 5, "lognormal sigma"),
    "mediation.entry_cap[]": Range(0, 100, "intensity a tier takes on first contact"),
    "mediation.failure_intensity": Range(0, 10, "intensity a failed session adds"),
    "mediation.caseload[]": Range(1, 1_000, "cases a mediator carries at once (assumption: 2-10)"),
    "mediation.travel_hours_per_day": Range(0, 24, "hours", open_lo=True),
    "mediation.escalate": P,
    "mediation.litigate": P,
    "mediation.petition": P,
    # police, residents, fraud
    "police.criminal_base": P,
    "police.criminal_per_hour": P,
    "police.criminal_after_failure": P,
    "residents.trust_mean": MEAN,
    "residents.tension_mean": MEAN,
    "residents.awareness_mean": MEAN,
    "residents.trust_learning": P,
    "residents.awareness_memory": P,
    "residents.tension_decay_days": DECAY,
    "residents.concentration": Range(0, 10_000, "beta concentration", open_lo=True),
    "residents.tension_feedback": Range(0, 10, "tension per unit of satisfaction"),
    "residents.satisfaction_neutral": P,
    "residents.awareness_decay_days": DECAY,
    "fraud.attempts_per_10k_day": Range(0, 10_000, "attempts per 10,000 residents a day"),
    "fraud.success": P,
    "fraud.campaign_boost": P,
    "fraud.victim_trust": P,
    "fraud.victim_awareness": P,
    "fraud.campaign_reach_per_10k_day": Range(0, 10_000, "residents reached per 10,000 a day"),
    # shocks
    "shocks.epidemic.start_day": DAYS,
    "shocks.epidemic.days": DAYS,
    "shocks.epidemic.diverted": P,
    "shocks.epidemic.dispute_rate": FACTOR,
    **{f"shocks.{s}.{k}": r for s in ("grazing", "wage_arrears") for k, r in (
        ("start_day", Range(0, 364, "day of the year")), ("days", Range(0, 365, "days a year")),
        ("factor", FACTOR))},
    # satisfaction
    **{f"satisfaction.{k}": P for k in ("resolved", "litigated", "withdrawn", "criminal", "per_day",
                                        "per_level")},
    # validation mode
    "validation.arrivals_per_day": Range(0, 100_000, "cases a day", open_lo=True),
    "validation.servers[]": Range(1, 10_000, "mediators at the tier"),
    "validation.service_days[]": Range(0, 10_000, "mean days a session takes", open_lo=True),
    "validation.escalate[]": P,
    "validation.warmup_days": Range(0, 100_000, "days before statistics start (below days)"),
}


def numeric_keys(obj: Any, prefix: str = "", pattern: str = "") -> Iterator[tuple[str, str, float]]:
    """Every numeric leaf of a config dataclass as ``(pattern, key, value)``.

    ``key`` is the leaf's full name (``governance.models.rural.grid_settle``, ``mediation.success[2]``);
    ``pattern`` its entry in :data:`RANGES` (``governance.models.*.grid_settle``, ``mediation.success[]``).
    """
    for f in fields(obj):
        value = getattr(obj, f.name)
        yield from _leaves(value, f"{prefix}{f.name}", f"{pattern}{f.name}")


def _leaves(value: Any, key: str, pattern: str) -> Iterator[tuple[str, str, float]]:
    if is_dataclass(value):
        yield from numeric_keys(value, key + ".", pattern + ".")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{key}.{k}", f"{pattern}.*")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{key}[{i}]", f"{pattern}[]")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield pattern, key, value


_GOVERNANCE_COPY = re.compile(r"^timeline\.before_governance\.")
"""A reform timeline's "before" governance is a governance config: the same ranges."""


def range_of(pattern: str) -> Range | None:
    """The range of a key pattern (see :func:`numeric_keys`), or None if it has none."""
    return RANGES.get(pattern) or RANGES.get(_GOVERNANCE_COPY.sub("governance.", pattern))


def check_ranges(cfg: Any) -> None:
    """Every numeric key finite and inside its range (keys without a range: finite and >= 0).

    Raises:
        ShouwangError: ``<key>: must be in [lo, hi] (<meaning>), got <value>``.
    """
    for pattern, key, value in numeric_keys(cfg):
        if isinstance(value, float) and not math.isfinite(value):
            raise ShouwangError(f"{key}: must be a finite number, got {value}")
        rule = range_of(pattern)
        if rule is None:  # a key added without a range (a test lists it): the old minimum check
            if value < 0:
                raise ShouwangError(f"{key}: must be >= 0, got {value}")
            continue
        if rule.holds(value):
            continue
        if value < rule.lo or (rule.open_lo and value == rule.lo):  # the same words as other checks
            raise ShouwangError(f"{key}: must be {'>' if rule.open_lo else '>='} {_num(rule.lo)}, got {value}")
        if rule is P:
            raise ShouwangError(f"{key}: a probability must be in [0, 1], got {value}")
        raise ShouwangError(f"{key}: must be in {rule.text()} ({rule.why}), got {value}")


# --- run-wide budget ------------------------------------------------------------------------

MEMORY_BUDGET = 12 * 2**30
"""Bytes one run may plan to use (assumption: half of a 24 GB machine, leaving room for a sweep
worker beside it)."""
BYTES_PER_RESIDENT = 160  # measured: 2.24 M residents in ~350 MB (README); range 150-200
BYTES_PER_DISPUTE = 4_000  # measured: +92 MB for +25,300 disputes (demo county, 60 days); range 3-6 kB
BYTES_PER_AGENT = 1_000  # a Mesa agent with a few attributes (assumption, range 0.5-2 kB)
BYTES_PER_GRID = 400  # per-grid arrays and table rows (assumption, range 200-800 B)
MAX_CASES = 20_000_000
"""Validation mode: cases through the tiers (600,000 take ~20 s; 20 M about 11 minutes)."""


@dataclass(frozen=True)
class Footprint:
    """What a run would create: residents, grids, agents, expected disputes (counts), and bytes."""

    residents: float
    grids: float
    agents: float
    disputes: float

    @property
    def bytes(self) -> float:
        """The run's estimated memory in bytes, compared with the machine's budget before anything is built."""
        return (self.residents * BYTES_PER_RESIDENT + self.disputes * BYTES_PER_DISPUTE
                + self.agents * BYTES_PER_AGENT + self.grids * BYTES_PER_GRID)


def footprint(cfg: Any, population: float, villages: float, townships: float, banners: float) -> Footprint:
    """A generous estimate of a run's size from its config and its city's counts (full scale).

    The expected disputes take the largest rate multiplier any place or shock could apply, so
    the estimate errs high.
    """
    c, s, g = cfg.city, cfg.staffing, cfg.governance
    grids = c.grids if c.grids is not None else population / max(c.residents_per_grid, 1)
    residents = population * cfg.scale
    factor = max([1.0] + [f.grid_workers for f in s.by_model.values()]
                 + [f.grid_workers for f in s.by_banner.values()])
    mfactor = max([1.0] + [max(f.village, f.township, f.banner)
                           for f in [*s.by_model.values(), *s.by_banner.values()]])
    v_centres = c.village_centres if c.village_centres is not None else villages
    t_centres = c.township_centres if c.township_centres is not None else townships
    agents = (grids * s.grid_workers_per_grid * g.grid_workers_factor * factor * cfg.scale
              + (v_centres * max(s.mediators.village * cfg.scale, 1)
                 + t_centres * max(s.mediators.township * cfg.scale, 1)
                 + banners * max(s.mediators.banner * cfg.scale, 1)
                 + max(s.mediators.city * cfg.scale, 1)) * g.mediators_factor * mfactor
              + townships + banners)
    model_rate = max([m.dispute_rate for m in g.models.values()] or [1.0])
    sh = cfg.shocks
    shock = max(1.0, sh.epidemic.dispute_rate if sh.epidemic.days else 1.0,
                sh.grazing.factor if sh.grazing.days else 1.0,
                sh.wage_arrears.factor if sh.wage_arrears.days else 1.0)
    disputes = cfg.disputes.rate_per_10k / 1e4 * residents * cfg.days / 365 * model_rate * shock
    return Footprint(residents, grids, agents, disputes)


def check_budget(cfg: Any, population: float, villages: float, townships: float, banners: float) -> None:
    """Refuse a run that would need more memory than :data:`MEMORY_BUDGET`, naming what it would need.

    Raises:
            ShouwangError: naming the key that drives the size, the figure and the budget.
    """
    if cfg.validation.mode != "none":
        cases = cfg.validation.arrivals_per_day * cfg.days
        if cases > MAX_CASES:
            raise ShouwangError(
                f"validation.arrivals_per_day: the run would pass about {cases:,.0f} cases through the "
                f"tiers (arrivals_per_day x days), at most {MAX_CASES:,}; got {cfg.validation.arrivals_per_day:g}"
                f" x {cfg.days}")
        return
    fp = footprint(cfg, population, villages, townships, banners)
    if fp.bytes <= MEMORY_BUDGET:
        return
    parts = {"residents": fp.residents * BYTES_PER_RESIDENT, "disputes": fp.disputes * BYTES_PER_DISPUTE,
             "agents": fp.agents * BYTES_PER_AGENT, "grids": fp.grids * BYTES_PER_GRID}
    worst = max(parts, key=lambda k: parts[k])
    key, count = {
        "residents": ("city.population" if cfg.city.kind == "synthetic" else "scale", fp.residents),
        "disputes": ("disputes.rate_per_10k", fp.disputes),
        "agents": ("staffing", fp.agents),
        "grids": ("city.residents_per_grid" if cfg.city.grids is None else "city.grids", fp.grids),
    }[worst]
    got = {"disputes.rate_per_10k": f"rate {cfg.disputes.rate_per_10k:g} x {cfg.days} days",
           "staffing": f"grid_workers_per_grid {cfg.staffing.grid_workers_per_grid:g}, mediators "
                       f"{cfg.staffing.mediators.village:g}/{cfg.staffing.mediators.township:g}/"
                       f"{cfg.staffing.mediators.banner:g}/{cfg.staffing.mediators.city:g}"}.get(key, "")
    raise ShouwangError(
        f"{key}: the run would create about {count:,.0f} {worst} and need about {_gb(fp.bytes)} of memory, "
        f"more than the {_gb(MEMORY_BUDGET)} one run may use" + (f", got {got}" if got else ""))


def _gb(n: float) -> str:
    return f"{n / 2**30:,.1f} GB" if n < 2**40 * 1000 else f"{n / 2**40:,.3g} TB"
