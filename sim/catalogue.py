"""The mechanism registry: every mechanism of the model declared once, with the keys it reads.

An entry says what the mechanism does (in a sentence a reader of the ODD description can
follow), which part of the day (or of the run) it belongs to, and which configuration keys
parameterise it (dotted, ``*`` for "every governance model"). Each mechanism is declared with
:func:`declare` in the module that holds its code: the world builder, the residents' population,
the grid workforce, the detection channels, the routing policy ... This module imports nothing
from the project, so every layer (world, agents, mechanisms) can declare into it without
importing up. The catalogue as a whole (every declaring module imported) is
:func:`sim.mechanisms.catalogue.mechanisms`; the units, sources and ranges of the keys are in
:mod:`sim.mechanisms.sources`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

PHASES = ("setup", "arrival", "detection", "settlement", "dispatch", "mediation", "routing", "police",
          "court", "petition", "governance", "residents", "grid", "fraud", "closure", "accounting")
"""Where a mechanism acts: ``setup`` before day 0 (the world and its staff), then a dispute's life and
the day's rounds, ``accounting`` after the run; the ODD's submodels follow this order."""


@dataclass(frozen=True)
class Mechanism:
    """One mechanism: its name, where it acts, what it does and the keys that set it.

    Attributes:
        name: unique, snake_case (e.g. ``grid_visit``).
        phase: one of :data:`PHASES`.
        does: one or two sentences on what it does.
        keys: configuration keys it reads (``governance.models.*.neighbour_detection``).
        zh: the Chinese term, where one helps a reader who knows it.
        module: the module that declared it, where its code is (set by :func:`declare`).
    """

    name: str
    phase: str
    does: str
    keys: tuple[str, ...] = ()
    zh: str = ""
    module: str = ""

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"mechanism {self.name!r}: unknown phase {self.phase!r} (choose from {', '.join(PHASES)})")


CATALOGUE: dict[str, Mechanism] = {}
"""Every declared mechanism by name, in declaration order (only those of modules imported so far:
:func:`sim.mechanisms.catalogue.mechanisms` imports them all)."""


def declare(name: str, phase: str, does: str, keys: tuple[str, ...] = (), zh: str = "") -> Mechanism:
    """Declare a mechanism once, in the module that holds its code; declaring a name twice is a
    programming error.

    Raises:
        ValueError: if ``name`` is already declared or ``phase`` is unknown.
    """
    if name in CATALOGUE:
        raise ValueError(f"mechanism {name!r} is declared twice")
    module = sys._getframe(1).f_globals.get("__name__", "")  # the caller: where the mechanism's code is
    mechanism = Mechanism(name, phase, does, tuple(keys), zh, module)
    CATALOGUE[name] = mechanism
    return mechanism
