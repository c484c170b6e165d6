"""Disputes (矛盾纠纷): kinds, seasonality, the dispute record, the latent pool and the ledger."""

from __future__ import annotations

from itertools import compress

import numpy as np
import pandas as pd

from sim.config import KINDS

OUTCOMES = ("resolved", "litigated", "criminal", "withdrawn", "pending")


def seasonality(day: float, amplitude: float, peak_day: np.ndarray) -> np.ndarray:
    """Multiplier on each kind's rate on a given day (mean 1 over a year; 1 where ``peak_day < 0``)."""
    swing = 1.0 + amplitude * np.cos(2 * np.pi * (day - peak_day) / 365.0)
    return np.where(peak_day >= 0, swing, 1.0)


class Dispute:
    """One dispute's life: where and when it arose, who found it, where it went, how it ended."""

    __slots__ = (
        "id", "kind", "grid", "village", "township", "banner", "model", "created_day",
        "detected_day", "detected_by", "outcome", "resolved_tier", "closed_day",
        "intensity", "peak_intensity", "party", "other", "satisfaction",
        "petitioned", "tier", "hops", "level",
    )

    def __init__(self, id_: int, kind: int, grid: int, village: int, township: int, banner: int,
                 model: int, day: float, intensity: float, party: int, other: int) -> None:
        self.id = id_
        self.kind = kind
        self.grid = grid
        self.village = village
        self.township = township
        self.banner = banner
        self.model = model
        self.created_day = day
        self.detected_day = np.nan
        self.detected_by = ""
        self.outcome = "pending"
        self.resolved_tier = ""
        self.closed_day = np.nan
        self.intensity = intensity
        self.peak_intensity = intensity
        self.party = party
        self.other = other
        self.satisfaction = np.nan
        self.petitioned = False
        self.tier = "latent"  # where it sits now: latent, then the agency of its last visit, closed
        self.hops = 0  # visits so far (the next visit's step)
        self.level = 0  # highest level reached (grid 0 .. city 4), for satisfaction

    def raise_intensity(self, amount: float) -> None:
        """Raise the intensity by ``amount``, keeping the peak the disputes table reports."""
        self.intensity += amount
        if self.intensity > self.peak_intensity:
            self.peak_intensity = self.intensity


class LatentPool:
    """Disputes not yet detected, as arrays so a day's growth and detection is one numpy pass."""

    def __init__(self) -> None:
        self.disputes: list[Dispute] = []
        self.intensity = np.zeros(0)
        self.grid = np.zeros(0, dtype=np.int64)
        self.kind = np.zeros(0, dtype=np.int64)
        self.model = np.zeros(0, dtype=np.int64)
        self.party = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.disputes)

    def add(self, disputes: list[Dispute]) -> None:
        """Add newly arisen disputes to the pool's arrays (once a day, so growth and detection stay one
        numpy pass)."""
        if not disputes:
            return
        self.disputes.extend(disputes)
        self.intensity = np.concatenate([self.intensity, [d.intensity for d in disputes]])
        self.grid = np.concatenate([self.grid, [d.grid for d in disputes]]).astype(np.int64)
        self.kind = np.concatenate([self.kind, [d.kind for d in disputes]]).astype(np.int64)
        self.model = np.concatenate([self.model, [d.model for d in disputes]]).astype(np.int64)
        self.party = np.concatenate([self.party, [d.party for d in disputes]]).astype(np.int64)

    def grow(self, per_day: float, kind_growth: np.ndarray, noise: float, rng: np.random.Generator) -> None:
        """A day's latent growth: each dispute's intensity rises by its kind's rate x lognormal noise."""
        if len(self.disputes):
            self.intensity = self.intensity + per_day * kind_growth[self.kind] * rng.lognormal(0, noise, len(self))

    def take(self, mask: np.ndarray) -> list[Dispute]:
        """Remove and return the disputes where ``mask`` is true, their intensity written back."""
        idx = np.flatnonzero(mask)
        out = []
        for i, x in zip(idx.tolist(), self.intensity[idx].tolist()):  # plain Python values
            d = self.disputes[i]
            d.raise_intensity(x - d.intensity)
            out.append(d)
        keep = ~mask
        self.disputes = list(compress(self.disputes, keep.tolist()))
        self.intensity = self.intensity[keep]
        self.grid = self.grid[keep]
        self.kind = self.kind[keep]
        self.model = self.model[keep]
        self.party = self.party[keep]
        return out

    def sync(self) -> None:
        """Write the pool's intensities back to the dispute records (for a pending snapshot)."""
        for d, x in zip(self.disputes, self.intensity):
            d.raise_intensity(float(x) - d.intensity)


class Ledger:
    """Every dispute ever created, in creation order; becomes ``disputes.parquet``."""

    def __init__(self) -> None:
        self.disputes: list[Dispute] = []

    def __len__(self) -> int:
        return len(self.disputes)

    def new_id(self) -> int:
        """The id the next dispute gets: its position in the ledger."""
        return len(self.disputes)

    def add(self, dispute: Dispute) -> None:
        """Record a new dispute (the ledger is one of the three books the conservation check compares)."""
        self.disputes.append(dispute)

    def counts(self) -> dict[str, int]:
        """Disputes by outcome, pending included, for the conservation check against the flow's counts."""
        out = dict.fromkeys(OUTCOMES, 0)
        for d in self.disputes:
            if d.outcome in out:  # an unknown outcome is left out, and conservation fails
                out[d.outcome] += 1
        return out

    def to_frame(self, banner_names: list[str], township_names: list[str], model_names: tuple[str, ...],
                 path: list[str], wait_days: np.ndarray) -> pd.DataFrame:
        """``disputes.parquet``; ``path`` and ``wait_days`` per dispute come from the visits."""
        ds = self.disputes
        kinds = np.array(KINDS)
        text = ("banner", "township", "model", "detected_by", "path", "outcome", "resolved_tier")
        frame = pd.DataFrame(
            {
                "dispute_id": np.array([d.id for d in ds], dtype=np.int64),
                "kind": pd.Categorical(kinds[[d.kind for d in ds]] if ds else [], categories=KINDS),
                "banner": [banner_names[d.banner] for d in ds],
                "township": [township_names[d.township] for d in ds],
                "village": np.array([d.village for d in ds], dtype=np.int64),
                "grid": np.array([d.grid for d in ds], dtype=np.int64),
                "model": [model_names[d.model] for d in ds],
                "created_day": np.array([d.created_day for d in ds], dtype=float),
                "detected_day": np.array([d.detected_day for d in ds], dtype=float),
                "detected_by": [d.detected_by for d in ds],
                "path": path,
                "outcome": [d.outcome for d in ds],
                "resolved_tier": [d.resolved_tier for d in ds],
                "closed_day": np.array([d.closed_day for d in ds], dtype=float),
                "wait_days": np.asarray(wait_days, dtype=float),
                "peak_intensity": np.array([d.peak_intensity for d in ds], dtype=float),
                "satisfaction": np.array([d.satisfaction for d in ds], dtype=float),
            }
        )
        return frame.astype({c: "str" for c in text})  # typed even when no dispute arose
