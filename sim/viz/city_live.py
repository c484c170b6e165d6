"""The whole city live for the dashboard's Hulunbuir view: the model, its counts per banner, the map.

No Solara here (tested on its own). The city is the default scenario (Hulunbuir, calibrated,
classified governance) at the chosen scale; one step is one day. Staffing controls rebuild the
city (Reset); the dispute rate and grid workers' duty load act from the next day. The map is the
14 real banner outlines (:mod:`sim.viz.maps`), drawn once; each day only the banners' colours,
their numbers and the day counter change (matplotlib blitting, as :mod:`sim.viz.board` does).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import PatchCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from sim.checks import check
from sim.config import Config
from sim.records import AGENCIES
from sim.viz.board import Blitted, nice_ceiling
from sim.viz.running import LiveModel

VIEWS = {
    "queues": "Disputes with a mediation centre now",
    "callouts": "Police call-outs so far, per 10,000 residents",
    "undetected": "Undetected disputes now, per 10,000 residents",
}
"""What the map's colours can show (key -> title)."""
CENTRE_TIERS = ("village", "township", "banner", "city")
POLICE = AGENCIES.index("police")


@dataclass
class CityControls:
    """What a trainer sets for the city (defaults: the calibrated 2022 city at full scale)."""

    scale: float = 1.0
    grid_workers_per_grid: float = 3.42  # 2022: 23,912 over 6,997 grids
    mediators_village: int = 3
    mediators_township: int = 4
    police_officers_per_post: int = 6
    duty_load: float = 0.4
    dispute_rate: float | None = None  # None: the calibrated rate
    seed: int = 0


@lru_cache(maxsize=1)
def _city_base() -> Config:
    from sim.api import compose_config
    from sim.hydra_conf import to_config

    return to_config(compose_config([]))


def calibrated_rate() -> float:
    """The calibrated dispute rate per 10,000 residents a year (scenarios/calibration)."""
    return _city_base().disputes.rate_per_10k


def city_config(c: CityControls) -> Config:
    """The default scenario with the trainer's controls (checked; bad values raise ShouwangError)."""
    cfg = copy.deepcopy(_city_base())
    cfg.seed, cfg.scale = int(c.seed), float(c.scale)
    s = cfg.staffing
    s.grid_workers_per_grid = float(c.grid_workers_per_grid)
    s.mediators.village = float(c.mediators_village)
    s.mediators.township = float(c.mediators_township)
    s.police_officers_per_post = float(c.police_officers_per_post)
    s.duty_load = float(c.duty_load)
    if c.dispute_rate is not None:
        cfg.disputes.rate_per_10k = float(c.dispute_rate)
    return check(cfg)


class LiveCity(LiveModel[CityControls]):
    """A running model of the whole city and its live counts per banner (thread-safe)."""

    def __init__(self, controls: CityControls | None = None) -> None:
        super().__init__(controls or CityControls(), city_config)
        b = self.model.world.banners
        self.codes = [str(c) for c in b["code"]]
        self.names = list(b["name"])
        self.population = self.model.world.grids.groupby("banner")["population"].sum().reindex(
            range(len(b)), fill_value=0).to_numpy(float) * self.controls.scale
        self._callouts = np.zeros(len(b), dtype=np.int64)  # police visits so far, by banner
        self._visits_seen = 0

    def _after_day(self) -> None:
        """Keep the open disputes; count each new police visit (a call-out) in its banner."""
        self._closed_since()
        ledger = self.model.ledger.disputes
        visits = self.model.visits
        new = slice(self._visits_seen, len(visits))
        self._visits_seen = len(visits)
        agency = np.asarray(visits.agency[new], dtype=np.int64)
        ids = np.asarray(visits.dispute[new], dtype=np.int64)[agency == POLICE]
        banners = np.fromiter((ledger[i].banner for i in ids), dtype=np.int64, count=len(ids))
        self._callouts += np.bincount(banners, minlength=len(self.codes))

    def counts(self) -> dict[str, np.ndarray]:
        """Per banner now: disputes with a centre, undetected ones, police call-outs so far."""
        with self.lock:
            n = len(self.codes)
            queues = np.zeros(n)
            latent = np.zeros(n)
            for d in self._open:
                if d.tier in CENTRE_TIERS:
                    queues[d.banner] += 1
                elif d.tier == "latent":
                    latent[d.banner] += 1
            callouts = self._callouts.astype(float)
        per_10k = 1e4 / np.maximum(self.population, 1.0)
        return {"queues": queues, "undetected": latent * per_10k, "callouts": callouts * per_10k}


class CityMapPicture:
    """The 14 banners coloured by one live figure, with the day; redrawn in place each day."""

    def __init__(self, codes: list[str], view: str = "queues", dpi: int = 80) -> None:
        from sim.viz.maps import SOURCE, banner_outlines

        outlines = banner_outlines().set_index("code").loc[codes]
        fig = Figure(figsize=(7.6, 6.4), dpi=dpi, facecolor="white")
        ax = fig.add_axes((0.02, 0.06, 0.80, 0.86))
        cax = fig.add_axes((0.85, 0.15, 0.025, 0.65))
        self.norm = Normalize(0.0, 1.0)
        self.patches = PatchCollection([PathPatch(_path(g)) for g in outlines.geometry], cmap=colormaps["YlOrRd"],
                                       norm=self.norm, edgecolor="#333333", linewidths=0.7)
        self.patches.set_array(np.zeros(len(codes)))
        ax.add_collection(self.patches)
        x0, y0, x1, y1 = outlines.total_bounds
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.bar = fig.colorbar(self.patches, cax=cax)
        self.title = ax.set_title(VIEWS[view], fontsize=12, loc="left")
        self.view = view
        points = [g.representative_point() for g in outlines.geometry]
        big = [g.area >= 5000e6 for g in outlines.geometry]  # small urban banners: no number
        self.numbers = [ax.text(p.x, p.y, "", ha="center", va="center", fontsize=9, visible=b,
                                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
                        for p, b in zip(points, big)]
        self.day = ax.text(1.0, 1.0, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=13,
                           fontweight="bold")
        fig.text(0.01, 0.01, SOURCE, fontsize=7)
        self.blit = Blitted(fig, [self.patches, *self.numbers, self.day])

    def update(self, values: np.ndarray, day: int, view: str) -> None:
        """Colour the banners by ``values`` for ``view`` and write their numbers; the colour bar
        rescales only when its top changes."""
        if view != self.view:
            self.title.set_text(VIEWS[view])
            self.view = view
        top = nice_ceiling(max(float(np.max(values, initial=0.0)), 1.0 if view == "queues" else 0.1))
        if top != self.norm.vmax:
            self.norm.vmax = top  # the colour bar's axis changes: Blitted renders the static part again
            self.bar.ax.set_ylim(0.0, top)
        self.patches.set_array(np.asarray(values, float))
        for text, v in zip(self.numbers, values):
            text.set_text(f"{v:.0f}" if view == "queues" else f"{v:.2g}")
        self.day.set_text(f"day {day}")

    def png(self, values: np.ndarray, day: int, view: str) -> bytes:
        """The map after :meth:`update` as PNG bytes (only the changing parts are redrawn)."""
        self.update(values, day, view)
        return self.blit.png()


def _path(geom) -> MplPath:
    """A (multi)polygon with its holes as one matplotlib path."""
    polys = getattr(geom, "geoms", [geom])
    rings = [ring for p in polys for ring in (p.exterior, *p.interiors)]
    return MplPath.make_compound_path(*[MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in rings])


def city_picture(picture: CityMapPicture, city: LiveCity, view: str) -> bytes:
    """Today's map of ``city`` as PNG bytes."""
    with city.lock:
        values, day = city.counts()[view], city.day
    return picture.png(values, day, view)
