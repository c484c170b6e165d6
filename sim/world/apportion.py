"""Integer apportionment: split a whole number over weights so the parts sum exactly."""

from __future__ import annotations

import numpy as np


def apportion(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder).

    Each part gets at least ``minimum``; ties in the remainders go to the earlier index,
    so the result is deterministic for given inputs.

    Args:
        total: the whole to split; must be >= minimum * len(weights).
        weights: non-negative weights, not all zero unless total == minimum * len(weights).
        minimum: the floor for every part.

    Returns:
        An int64 array of the same length as ``weights`` summing to ``total``.
    """
    w = np.asarray(weights, dtype=float)
    n = len(w)
    if n == 0:
        if total != 0:
            raise ValueError(f"cannot apportion {total} over no parts")
        return np.zeros(0, dtype=np.int64)
    rest = int(total) - minimum * n
    if rest < 0:
        raise ValueError(f"cannot give {n} parts at least {minimum} each from {total}")
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite and non-negative")
    if w.sum() == 0:
        w = np.ones(n)
    quota = rest * w / w.sum()
    base = np.floor(quota).astype(np.int64)
    short = rest - int(base.sum())
    if short > 0:
        order = np.lexsort((np.arange(n), -(quota - base)))
        base[order[:short]] += 1
    return base + minimum
