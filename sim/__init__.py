"""Shouwang (守望, "keep watch"): multi-tier social governance and dispute flows, simulated.

``sim.simulate(overrides)`` runs a scenario from Python; ``python -m sim`` from the shell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.api import simulate
    from sim.results import Result

__all__ = ["Result", "read_run", "simulate"]


def __getattr__(name: str) -> Any:  # lazy: importing sim.world must not pull in Hydra
    if name == "simulate":
        from sim.api import simulate

        return simulate
    if name in ("Result", "read_run"):
        from sim import results

        return getattr(results, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
