"""The mechanism catalogue: every mechanism of the model declared once, with the keys it reads.

An entry says what the mechanism does (in a sentence a reader of the ODD description can
follow), which part of the day it belongs to, and which configuration keys parameterise it
(dotted, ``*`` for "every governance model"). The units, sources and plausible ranges of those
keys live in :mod:`sim.mechanisms.sources`; the ODD description (``python -m sim.odd``) is
generated from both, so a mechanism or a key missing from either shows up there.

Detection channels, on-the-spot settlement, the six governance models' actors and the
routing policy each declare their entries in their own module with :func:`declare`.
"""

from __future__ import annotations

from dataclasses import dataclass

PHASES = ("arrival", "detection", "settlement", "dispatch", "mediation", "routing", "police",
          "court", "petition", "governance", "residents", "grid", "fraud", "closure")
"""Where in a dispute's life (or the day) a mechanism acts; the ODD's submodels follow this order."""


@dataclass(frozen=True)
class Mechanism:
    """One mechanism: its name, where it acts, what it does and the keys that set it.

    Attributes:
        name: unique, snake_case (e.g. ``grid_visit``).
        phase: one of :data:`PHASES`.
        does: one or two sentences on what it does.
        keys: configuration keys it reads (``governance.models.*.neighbour_detection``).
        zh: the Chinese term, where one helps a reader who knows it.
    """

    name: str
    phase: str
    does: str
    keys: tuple[str, ...] = ()
    zh: str = ""

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"mechanism {self.name!r}: unknown phase {self.phase!r} (choose from {', '.join(PHASES)})")


CATALOGUE: dict[str, Mechanism] = {}
"""Every declared mechanism by name, in declaration order."""


def declare(name: str, phase: str, does: str, keys: tuple[str, ...] = (), zh: str = "") -> Mechanism:
    """Declare a mechanism once; declaring a name twice is a programming error.

    Raises:
        ValueError: if ``name`` is already declared or ``phase`` is unknown.
    """
    if name in CATALOGUE:
        raise ValueError(f"mechanism {name!r} is declared twice")
    mechanism = Mechanism(name, phase, does, tuple(keys), zh)
    CATALOGUE[name] = mechanism
    return mechanism


def mechanisms() -> list[Mechanism]:
    """All declared mechanisms, ordered by phase then declaration (importing their modules)."""
    import sim.mechanisms  # noqa: F401  (each module declares its entries on import)

    order = {p: i for i, p in enumerate(PHASES)}
    return sorted(CATALOGUE.values(), key=lambda m: order[m.phase])
