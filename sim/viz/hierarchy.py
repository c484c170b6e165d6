"""The governance tree laid out for drawing, and where a dispute sits on it.

Rows, bottom to top, are the rungs of the escalation ladder: the grid
(网格), village and township mediation centres, the township's police post (派出所), the
banner (旗) centre and the city centre. Villages are spread evenly along the x axis, grouped by
township; each parent sits over the middle of its children. Pure numpy: no matplotlib here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

ROWS = ("grid", "village", "township", "police", "banner", "city")
"""Rows of the drawn tree, bottom to top; the police row sits at the townships' positions."""
ROW_Y = {row: float(i) for i, row in enumerate(ROWS)}


@dataclass
class TreeLayout:
    """x positions of every unit (index = the unit's id in the world tables).

    Attributes:
        grid_x, village_x, township_x, banner_x: x of each unit (NaN if unknown).
        city_x: x of the city node.
        village_township, township_banner: the tree's parent links.
        width: the x extent (villages sit on 0 .. width - 1).
    """

    grid_x: np.ndarray
    village_x: np.ndarray
    township_x: np.ndarray
    banner_x: np.ndarray
    city_x: float
    village_township: np.ndarray
    township_banner: np.ndarray
    width: float

    def unit_x(self, row: str, grid: np.ndarray, village: np.ndarray, township: np.ndarray,
               banner: np.ndarray) -> np.ndarray:
        """x of the unit at ``row`` for disputes given by their grid, village, township, banner."""
        if row == "grid":
            return self.grid_x[grid]
        if row == "village":
            return self.village_x[village]
        if row in ("township", "police"):
            return self.township_x[township]
        if row == "banner":
            return self.banner_x[banner]
        return np.full(len(np.atleast_1d(grid)), self.city_x)

    def spread(self, row: str) -> float:
        """How far dots may scatter around a unit of ``row`` without reaching the next unit."""
        n = {"grid": len(self.grid_x), "village": len(self.village_x), "township": len(self.township_x),
             "police": len(self.township_x), "banner": len(self.banner_x), "city": 1}[row]
        return max(0.3 * self.width / max(n, 1), 0.1) if row != "grid" else 0.1

    def edges(self) -> list[tuple[tuple[float, float], tuple[float, float]]]:
        """Line segments child -> parent from villages up to the city."""
        out = []
        for v, t in enumerate(self.village_township):
            if np.isfinite(self.village_x[v]):
                out.append(((self.village_x[v], ROW_Y["village"]), (self.township_x[t], ROW_Y["township"])))
        for t, b in enumerate(self.township_banner):
            if np.isfinite(self.township_x[t]):
                out.append(((self.township_x[t], ROW_Y["township"]), (self.banner_x[b], ROW_Y["banner"])))
        for b in range(len(self.banner_x)):
            if np.isfinite(self.banner_x[b]):
                out.append(((self.banner_x[b], ROW_Y["banner"]), (self.city_x, ROW_Y["city"])))
        return out


def tree_layout(grid_village: np.ndarray, village_township: np.ndarray,
                township_banner: np.ndarray) -> TreeLayout:
    """Lay the tree out from its parent links (arrays indexed by child id, holding the parent id).

    Units that never appear (a village with no grid, say) get NaN and are not drawn.
    """
    grid_village = np.asarray(grid_village, dtype=np.int64)
    village_township = np.asarray(village_township, dtype=np.int64)
    township_banner = np.asarray(township_banner, dtype=np.int64)
    n_v, n_t, n_b = len(village_township), len(township_banner), int(township_banner.max(initial=-1)) + 1
    # villages in tree order: by banner, then township, then id
    order = np.lexsort((np.arange(n_v), village_township, township_banner[village_township]))
    village_x = np.empty(n_v)
    village_x[order] = np.arange(n_v, dtype=float)
    township_x = _mean_by(village_township, village_x, n_t)
    banner_x = _mean_by(township_banner, township_x, n_b)
    city_x = float(np.nanmean(banner_x)) if n_b else 0.0
    # grids fan out under their village
    grid_x = np.full(len(grid_village), np.nan)
    for v in np.unique(grid_village):
        rows = np.flatnonzero(grid_village == v)
        k = len(rows)
        grid_x[rows] = village_x[v] + (np.arange(k) - (k - 1) / 2) * (0.7 / max(k, 1))
    return TreeLayout(grid_x, village_x, township_x, banner_x, city_x, village_township,
                      township_banner, float(max(n_v, 1)))


def _mean_by(parent: np.ndarray, child_x: np.ndarray, n: int) -> np.ndarray:
    total = np.bincount(parent, weights=np.nan_to_num(child_x), minlength=n)
    count = np.bincount(parent, weights=np.isfinite(child_x).astype(float), minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def jitter(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two fixed offsets in [-1, 1) per dispute id, so a dot keeps its place from frame to frame."""
    ids = np.asarray(ids, dtype=np.uint64)
    a = (ids * np.uint64(2654435761) + np.uint64(12345)) % np.uint64(2**32)
    b = (ids * np.uint64(40503) + np.uint64(2246822519)) % np.uint64(2**32)
    return a.astype(float) / 2**31 - 1.0, b.astype(float) / 2**31 - 1.0


@dataclass
class Dots:
    """Disputes to draw: position, intensity (colour) and whether each was just settled."""

    x: np.ndarray
    y: np.ndarray
    intensity: np.ndarray
    settled: np.ndarray

    @classmethod
    def empty(cls) -> Dots:
        """No dots: the picture before the first day."""
        z = np.zeros(0)
        return cls(z, z, z, np.zeros(0, dtype=bool))


def place(layout: TreeLayout, rows: np.ndarray, ids: ArrayLike, grid: ArrayLike, village: ArrayLike,
          township: ArrayLike, banner: ArrayLike, intensity: np.ndarray,
          settled: np.ndarray | None = None) -> Dots:
    """Dots for disputes sitting at ``rows`` (names from :data:`ROWS`), scattered around their unit."""
    rows = np.asarray(rows, dtype=object)
    n = len(rows)
    if n == 0:
        return Dots.empty()
    ids, grid, village, township, banner = (np.asarray(a, dtype=np.int64) for a in (ids, grid, village, township, banner))
    jx, jy = jitter(ids)
    x = np.zeros(n)
    y = np.zeros(n)
    for row in ROWS:
        hit = rows == row
        if not hit.any():
            continue
        base = layout.unit_x(row, grid[hit], village[hit], township[hit], banner[hit])
        x[hit] = base + jx[hit] * layout.spread(row)
        y[hit] = ROW_Y[row] + 0.18 * jy[hit]
    done = np.zeros(n, dtype=bool) if settled is None else np.asarray(settled, dtype=bool)
    return Dots(x, y, np.asarray(intensity, dtype=float), done)
