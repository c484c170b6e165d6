"""A live county for the dashboard: the trainer's controls, the model they drive, what it shows.

No Solara and no matplotlib here, so it is tested on its own. The county is the demo county
(``scenarios/city/demo_county.yaml``, ~30,000 residents, one banner) at scale 1 with the
classified governance models of ``scenarios/governance/classified.yaml``; one step is one day.
Its defaults are the trainers' setting, ``scenarios/experiment/training.yaml`` (the calibrated
county in a hard season, thin staff: police call-outs and climbs to the township within a month);
the page's controls then show staffing and early detection reducing them.

Controls that change who is on hand (grid workers, mediators, governance model, seed) rebuild
the county (``Reset``); the dispute rate, duty load and the epidemic shock act from the next day.
"""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from sim.checks import check
from sim.config import PLACE_MODELS, Config, Epidemic
from sim.records import AGENCIES
from sim.viz.hierarchy import Dots, TreeLayout, place, tree_layout
from sim.viz.running import LiveModel
from sim.viz.series import DailySeries, SeriesRows, ladder

GOVERNANCE_CHOICES = ("classified",) + PLACE_MODELS
TRAINING = "+experiment=training"
"""The Hydra override of the dashboard's scenario: ``scenarios/experiment/training.yaml``."""
EPIDEMIC_PRESET = "epidemic"
"""The switch turns on the epidemic of ``scenarios/shocks/epidemic.yaml`` (平急结合: grid workers
run emergency rounds instead of visits, and lockdown raises disputes) from the next day."""
SETTLED_SHOWN_DAYS = 3.0
"""How long a settled dispute stays on the tree (as a green ring) after it closes."""


@lru_cache(maxsize=1)
def _demo_base() -> Config:
    from sim.api import compose_config
    from sim.hydra_conf import to_config

    return to_config(compose_config([TRAINING]))


@dataclass
class Controls:
    """What a trainer can set on the page (defaults: ``scenarios/experiment/training.yaml``; the
    2022 values the article gives or the calibration fits are in the comments)."""

    grid_workers_per_grid: float = 1.0  # 2022: 3.42
    mediators_village: int = 1  # 2022: 3
    mediators_township: int = 2  # 2022: 4
    mediators_banner: int = 8
    mediators_city: int = 36
    duty_load: float = 0.7  # 2022: 0.4
    dispute_rate: float = field(default_factory=lambda: _demo_base().disputes.rate_per_10k)
    # disputes.rate_per_10k, per 10,000 residents a year: the calibrated rate (the training preset keeps it)
    governance: str = "classified"
    epidemic: bool = False
    seed: int = 0


@lru_cache(maxsize=1)
def staffing_2022() -> Controls:
    """The calibrated demo county's controls: 2022 staffing and the fitted dispute rate."""
    from sim.api import compose_config
    from sim.hydra_conf import to_config

    return controls_of(to_config(compose_config(["city=demo_county"])))


@lru_cache(maxsize=1)
def epidemic_preset() -> Epidemic:
    """The epidemic shock the switch turns on (its diversion and dispute-rate factor)."""
    from sim.api import compose_config
    from sim.hydra_conf import to_config

    return to_config(compose_config(["city=demo_county", f"shocks={EPIDEMIC_PRESET}"])).shocks.epidemic


def controls_of(cfg: Config, seed: int = 0) -> Controls:
    """The page's controls that reproduce ``cfg``'s staffing, dispute rate and governance."""
    s = cfg.staffing
    return Controls(grid_workers_per_grid=round(s.grid_workers_per_grid, 2),
                    mediators_village=int(s.mediators.village), mediators_township=int(s.mediators.township),
                    mediators_banner=int(s.mediators.banner), mediators_city=int(s.mediators.city),
                    duty_load=s.duty_load, dispute_rate=cfg.disputes.rate_per_10k,
                    governance=cfg.governance.apply, epidemic=False, seed=seed)


def demo_config(controls: Controls) -> Config:
    """The demo county's scenario with the controls applied (checked).

    Raises:
        ShouwangError: a control has a meaningless value (named with the config key).
    """
    cfg = copy.deepcopy(_demo_base())
    cfg.seed = int(controls.seed)
    cfg.scale = 1.0
    s = cfg.staffing
    s.grid_workers_per_grid = float(controls.grid_workers_per_grid)
    s.mediators.village = float(controls.mediators_village)
    s.mediators.township = float(controls.mediators_township)
    s.mediators.banner = float(controls.mediators_banner)
    s.mediators.city = float(controls.mediators_city)
    s.duty_load = float(controls.duty_load)
    cfg.disputes.rate_per_10k = float(controls.dispute_rate)
    cfg.governance.apply = controls.governance
    return check(cfg)


_LIVE: weakref.WeakSet[LiveCounty] = weakref.WeakSet()


def live_counties() -> int:
    """Counties still in memory in this process (each page session holds one until it closes)."""
    return len(_LIVE)


STRUCTURAL = ("grid_workers_per_grid", "mediators_village", "mediators_township", "mediators_banner",
              "mediators_city", "governance", "seed")
"""Controls that take effect on Reset (they decide who is on hand when the county is built)."""


class LiveCounty(LiveModel[Controls]):
    """A running :class:`~sim.model.ShouwangModel` of the demo county and the views of it the dashboard draws.

    Thread-safe: Play steps it from a worker thread while the page reads it.
    """

    def __init__(self, controls: Controls | None = None) -> None:
        super().__init__(controls or Controls(), demo_config)
        epidemic_preset()  # composed once here, not inside a timed day
        w = self.model.world
        self.layout: TreeLayout = tree_layout(w.grids["village"].to_numpy(), w.villages["township"].to_numpy(),
                                              w.townships["banner"].to_numpy())
        self.township_names = [_short(n, w.banners["name"].iloc[0]) for n in w.townships["name"]]
        self._closed_day: list[float] = []
        self._satisfaction: list[float] = []
        self._resolved_tier: list[str] = []
        self._recent: list = []  # settled disputes still shown on the tree
        self._rows = SeriesRows()
        _LIVE.add(self)

    def pending(self, controls: Controls) -> list[str]:
        """The structural controls that differ from the running county's (they wait for Reset)."""
        return [k for k in STRUCTURAL if _differs(getattr(controls, k), getattr(self.controls, k))]

    def _apply_more(self, controls: Controls) -> None:
        """The epidemic switch also acts from the next day."""
        self.controls.epidemic = controls.epidemic

    def _before_day(self) -> None:
        """Switch on: the preset epidemic covers today; off: no epidemic."""
        e = self.model.cfg.shocks.epidemic  # read by the model's Shocks every day
        preset = epidemic_preset()
        e.start_day, e.diverted, e.dispute_rate = 0, preset.diverted, preset.dispute_rate
        e.days = self.model.day + 1 if self.controls.epidemic else 0

    def _after_day(self) -> None:
        """Keep the closed disputes' days, satisfaction and rungs, the recently settled ones for the
        tree, and the day's rows for the series."""
        for d in self._closed_since():
            self._closed_day.append(d.closed_day)
            self._satisfaction.append(d.satisfaction)
            self._resolved_tier.append(d.resolved_tier)
            if d.outcome == "resolved":
                self._recent.append(d)
        now = self.model.day
        self._recent = [d for d in self._recent if d.closed_day > now - SETTLED_SHOWN_DAYS]
        self._rows.extend(self.model.daily)

    # --- views --------------------------------------------------------------------------

    def series(self) -> DailySeries:
        """The day-by-day series so far, taken under the lock (a consistent snapshot)."""
        with self.lock:
            return self._rows.series(np.array(self._closed_day), np.array(self._satisfaction))

    def ladder(self, series: DailySeries | None = None) -> tuple[dict[str, int], dict[str, int]]:
        """Disputes sitting at each rung now, and settled at each rung so far."""
        with self.lock:
            s = series if series is not None else self.series()
            return ladder(s, self.day - 1, np.array(self._resolved_tier, dtype=object),
                          np.array(self._closed_day))

    def dots(self) -> Dots:
        """Every dispute on the tree now: undetected ones in their grid, live ones at their rung,
        and those settled in the last few days (ringed) where they were settled."""
        with self.lock:
            m = self.model
            latent = list(m.latent.disputes)
            live = list(m.handling.live)
            recent = list(self._recent)
            rows = (["grid"] * len(latent) + [_rung(d.tier) for d in live]
                    + [d.resolved_tier for d in recent])
            everyone = latent + live + recent
            intensity = np.concatenate([m.latent.intensity, [d.intensity for d in live],
                                        [d.peak_intensity for d in recent]]) if everyone else np.zeros(0)
            settled = np.r_[np.zeros(len(latent) + len(live), dtype=bool), np.ones(len(recent), dtype=bool)]
        return place(self.layout, np.array(rows, dtype=object), [d.id for d in everyone],
                     [d.grid for d in everyone], [d.village for d in everyone],
                     [d.township for d in everyone], [d.banner for d in everyone], intensity, settled)

    def totals(self) -> dict[str, int]:
        """Headline counts so far: created, resolved, police incidents, criminal cases."""
        with self.lock:
            ds = self.model.ledger.disputes
            return {
                "created": len(ds),
                "resolved": sum(d.outcome == "resolved" for d in ds),
                "police": int(np.sum(np.asarray(self.model.visits.agency) == AGENCIES.index("police"))),
                "criminal": sum(d.outcome == "criminal" for d in ds),
                "litigated": sum(d.outcome == "litigated" for d in ds),
            }


def _differs(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) > 1e-6
    return a != b


def _rung(tier: str) -> str:
    """A live dispute's rung: ``latent`` ones are detected but not yet at a centre (the grid)."""
    return tier if tier in ("village", "township", "police", "banner", "city") else "grid"


def _short(township: str, banner: str) -> str:
    return township[len(banner):].strip() if township.startswith(banner) else township
