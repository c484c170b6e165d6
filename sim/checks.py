"""Value checks of a scenario: refuse values that are well-typed but make no sense.

The schema (:mod:`sim.config`) and Hydra refuse unknown keys and wrong types; the numeric ranges
of every key, upper bounds too, are in :mod:`sim.limits`; what is left is here: structural
checks (a known model, one value per tier, a tier that receives disputes has mediators), each
refused with one message naming the key and the value.
"""

from __future__ import annotations

import math
from typing import Any

from sim.config import KINDS, PLACE_MODELS, TIERS, Config, ValidationParams
from sim.errors import ShouwangError
from sim.limits import check_ranges


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
    for key in ("enterprise_kinds", "joint_kinds", "sector_tiers"):
        for kind in getattr(g, key):
            _check_kind(kind, f"governance.{key}")
    for kind, tier in g.sector_tiers.items():
        if tier not in TIERS:
            raise ShouwangError(f"governance.sector_tiers.{kind}: unknown tier {tier!r} (choose from {', '.join(TIERS)})")
    for m, params in g.models.items():
        for kind, weight in params.kind_mix.items():
            _check_kind(kind, f"governance.models.{m}.kind_mix")
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
        _check_kind(sh.kind, f"shocks.{surge}.kind")
        for m in sh.models:
            if m not in PLACE_MODELS:
                raise ShouwangError(f"shocks.{surge}.models: unknown model {m!r} (choose from {', '.join(PLACE_MODELS)})")
        if sh.days > 365:
            raise ShouwangError(f"shocks.{surge}.days: at most 365, got {sh.days}")


def _finite(value: Any, key: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ShouwangError(f"{key}: must be a finite number, got {value}")


def _check_kind(kind: str, key: str) -> None:
    if kind not in KINDS:
        raise ShouwangError(f"{key}: unknown dispute kind {kind!r} (choose from {', '.join(KINDS)})")


def _check_model_keys(mapping: dict, key: str) -> None:
    for name in mapping:
        if name not in PLACE_MODELS:
            raise ShouwangError(f"{key}: unknown model {name!r} (choose from {', '.join(PLACE_MODELS)})")
