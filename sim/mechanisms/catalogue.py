"""The mechanism catalogue: every mechanism of the model, each declared once next to its code.

The registry itself (:class:`Mechanism`, :func:`declare`, :data:`PHASES`) is :mod:`sim.catalogue`,
which imports nothing, so the world, the agents and the mechanisms all declare into it without
importing up; this module names every module that declares (:data:`DECLARED_IN`) and
:func:`mechanisms` imports them, so the catalogue is whole whatever was imported before.
The units, sources and plausible ranges of the keys live in :mod:`sim.mechanisms.sources`; the
ODD description (``python -m sim.odd``) is generated from both, so a mechanism or a key missing
from either shows up there, and ``tests/unit/test_catalogue.py`` fails when a model parameter
(any key whose source is not a ``setting``) is read by no declared mechanism.
"""

from __future__ import annotations

import importlib

from sim.catalogue import CATALOGUE, PHASES, Mechanism, declare

DECLARED_IN = (
    "sim.world.cities", "sim.planning", "sim.mechanisms.arrivals", "sim.mechanisms.detection",
    "sim.mechanisms.settlement", "sim.mechanisms.courts", "sim.mechanisms.petitions", "sim.mechanisms.routing",
    "sim.mechanisms.crime", "sim.mechanisms.handling", "sim.mechanisms.governance", "sim.agents.residents",
    "sim.agents.grid_workers", "sim.shocks", "sim.costs",
)
"""Every module that declares mechanisms, in the order a reader meets them within a phase
(``tests/unit/test_catalogue.py`` checks none is left out)."""

__all__ = ["CATALOGUE", "DECLARED_IN", "PHASES", "Mechanism", "declare", "mechanisms"]


def mechanisms() -> list[Mechanism]:
    """All declared mechanisms (importing their modules), ordered by phase, then by module as in
    :data:`DECLARED_IN`, then by declaration: the same order whatever was imported first."""
    for name in DECLARED_IN:
        importlib.import_module(name)
    phase = {p: i for i, p in enumerate(PHASES)}
    module = {m: i for i, m in enumerate(DECLARED_IN)}
    return sorted(CATALOGUE.values(), key=lambda m: (phase[m.phase], module.get(m.module, len(module))))
