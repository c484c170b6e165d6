"""Python's cyclic garbage collector at a slower rhythm while a model runs.

A simulated day creates and drops tens of thousands of small objects (SimPy events, generator
frames) that reference counting frees at once, and a run keeps ~10^5 disputes to the end. At
CPython's default threshold (a young-generation pass every 700 net allocations, an older pass
every 10 of those) the collector walked the young objects hundreds of times a day and the
long-lived disputes again and again: ~9% of a full-scale year's time. The model makes no
reference cycles that need the collector, so while a model is alive the young generation is
collected every :data:`YOUNG` allocations instead (the older generations keep their ratios).
The thresholds in force before come back when the last such model finishes or is freed.
Restoring them at each day's end instead would trigger a young pass every morning (and an
older one every ten days): most of the cost again.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

YOUNG = 50_000
"""Net allocations between young-generation collections while a model runs (CPython: 700)."""

_holders = 0
_saved: tuple[int, ...] | None = None


def slow_collector(owner: object, young: int = YOUNG) -> Callable[[], None]:
    """Slow the young-generation collections while ``owner`` lives.

    Returns:
        A function that gives the slowing up (idempotent); it also runs when ``owner`` is freed.
        The thresholds before come back once every owner has given it up.
    """
    global _holders, _saved
    if _holders == 0:
        _saved = gc.get_threshold()
        gc.set_threshold(max(young, _saved[0]), *_saved[1:])
    _holders += 1
    return weakref.finalize(owner, _release)


def _release() -> None:
    global _holders, _saved
    _holders -= 1
    if _holders == 0 and _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None
