"""The reform as a timeline: phases that move the system from the 2019 one to the 2022 one.

A phase sets a reform *level* between the system before the reform (level 0: the governance
preset named by ``timeline.before``, e.g. ``pre_reform``) and the run's own governance (level 1:
the 2022 "classified" system): every number of the governance config (grid workers' and
mediators' build-up, the share of working village centres, each model's actors) is blended
linearly; flags (police-grid integration, the anti-fraud campaign, open tiers) come from the
nearer end unless the phase sets them. The model adopts each phase's config on its first day.
Calendar years for ``by_year`` are counted from ``timeline.start``.
"""

from __future__ import annotations

import copy
from dataclasses import fields, is_dataclass, replace
from datetime import date, timedelta

from sim.config import Config, GovernanceConfig
from sim.errors import ShouwangError

FLAGS = ("police_grid_integration", "anti_fraud_campaign", "village_centres", "township_centres")

def _blend(a, b, level: float):
    """Numbers blended ``a + level * (b - a)``; other values from the nearer end."""
    if is_dataclass(a) and not isinstance(a, type):
        changes = {f.name: _blend(getattr(a, f.name), getattr(b, f.name), level) for f in fields(a)}
        return replace(a, **changes)
    if isinstance(a, dict):
        keys = list(dict.fromkeys([*a, *b]))
        return {k: _blend(a.get(k, b.get(k)), b.get(k, a.get(k)), level) for k in keys}
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)):
        return copy.deepcopy(b if level >= 1.0 else a)
    return a + level * (b - a)


def blend_governance(before: GovernanceConfig, after: GovernanceConfig, level: float) -> GovernanceConfig:
    """The governance at reform ``level`` (0: ``before``, 1: ``after``); kind mixes stay the place's."""
    gov = _blend(before, after, level)
    for name, params in gov.models.items():  # what disputes arise is the place's, not the reform's
        params.kind_mix = dict(after.models[name].kind_mix)
        params.dispute_rate = after.models[name].dispute_rate
    gov.name = after.name if level >= 1.0 else (before.name if level <= 0.0 else f"{after.name}@{level:g}")
    return gov


def day_of(cfg: Config, iso: str, key: str) -> int:
    """Days from the timeline's start to ``iso``.

    Raises:
        ShouwangError: naming ``key`` if the date is malformed.
    """
    try:
        return (date.fromisoformat(iso) - date.fromisoformat(cfg.timeline.start)).days
    except ValueError:
        raise ShouwangError(f"{key}: not an ISO date (YYYY-MM-DD), got {iso!r}") from None


def phase_configs(cfg: Config, before: GovernanceConfig) -> list[tuple[int, Config]]:
    """Each phase's first day and the whole config in force from then, in order.

    Raises:
        ShouwangError: if phases are out of order or the first does not start on day 0 (phases
            that start after the run's last day are left out).
    """
    out: list[tuple[int, Config]] = []
    for i, ph in enumerate(cfg.timeline.phases):
        key = f"timeline.phases[{i}].start"
        day = day_of(cfg, ph.start, key)
        if i == 0 and day != 0:
            raise ShouwangError(f"{key}: the first phase must start on timeline.start ({cfg.timeline.start}), got {ph.start}")
        if out and day <= out[-1][0]:
            raise ShouwangError(f"{key}: phases must start in order, got {ph.start} after {cfg.timeline.phases[i - 1].start}")
        if day >= cfg.days:  # a run shorter than the timeline stops before this phase
            break
        if not 0.0 <= ph.level <= 1.0:
            raise ShouwangError(f"timeline.phases[{i}].level: must be in [0, 1], got {ph.level}")
        gov = blend_governance(before, cfg.governance, ph.level)
        for flag in FLAGS:
            if getattr(ph, flag) is not None:
                setattr(gov, flag, getattr(ph, flag))
        out.append((day, replace(cfg, governance=gov)))
    return out


def years(cfg: Config) -> list[tuple[str, int, int]]:
    """Calendar years of the run: (label, first day, day after the last), cut to the run's days."""
    start = date.fromisoformat(cfg.timeline.start)
    end = start + timedelta(days=cfg.days)
    out = []
    year = start.year
    while date(year, 1, 1) < end:
        lo = max(date(year, 1, 1), start)
        hi = min(date(year + 1, 1, 1), end)
        out.append((str(year), (lo - start).days, (hi - start).days))
        year += 1
    return out

