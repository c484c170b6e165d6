"""Where every configuration number comes from: unit, source, plausible range.

One :class:`Source` per configuration key of :class:`sim.config.Config`, dotted, with ``*`` for
"every entry" of a mapping (``governance.models.*.police_grid`` for each governance model,
``disputes.kinds.*.growth`` for each kind of dispute, ``staffing.by_model.*.village`` ...). A
source is one of

- ``evidence N.M: <fact>``: a sourced public figure (the row's address is in ``note``);
- ``article (Hulunbuir governance review, 2023): <fact>``: the figures of the 2023 review of
  Hulunbuir's pilot on city-level social-governance modernisation, the model's subject;
- ``calibrated by history matching``: the default draw of the history matching of the 2019-2022
  timeline against the article's 2022 figures and the evidence's patterns
  (``results/calibration/report.md``), its prior as the range;
- ``assumption``: no public figure; ``low``/``high`` give the range we would defend and
  ``note`` why;
- ``setting: <what>``: not a parameter of the world but a choice of the run or scenario (seed,
  days, a what-if factor, a preset's name).

The ODD description (``python -m sim.odd``) shows every entry next to the composed value, and
``tests/unit/test_sources.py`` fails, listing the keys, when a configuration key has no entry.

The entries live in three modules by subject, as the schema does (:mod:`.world`,
:mod:`.disputes`, :mod:`.scenario`); :data:`SOURCES` is all of them.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any, get_args, get_origin, get_type_hints

from sim.config import Config
from sim.mechanisms.sources.base import ART, FIXED, HM, SOURCE_KINDS, A, S, Source
from sim.mechanisms.sources.disputes import DISPUTES
from sim.mechanisms.sources.scenario import SCENARIO
from sim.mechanisms.sources.world import WORLD

SOURCES: dict[str, Source] = {**WORLD, **DISPUTES, **SCENARIO}
"""Every entry, by key pattern (``*``: every entry of a mapping)."""

__all__ = ["ART", "FIXED", "HM", "SOURCES", "SOURCE_KINDS", "A", "S", "Source", "schema_keys", "source_for"]


def schema_keys(cls: type = Config, prefix: str = "") -> dict[str, Any]:
    """Every leaf key of the configuration schema with its type, in declaration order.

    Nested sections are walked; a mapping of sections (``governance.models``) contributes its
    fields under ``*`` (``governance.models.*.police_grid``), so keys exist even where the
    default mapping is empty (``staffing.by_banner``). Lists and mappings of plain values are
    one key each (``mediation.success``, ``city.model_mix``).
    """
    hints = get_type_hints(cls)
    keys: dict[str, Any] = {}
    for f in fields(cls):
        kind, key = hints[f.name], prefix + f.name
        args = get_args(kind)
        if is_dataclass(kind):
            keys.update(schema_keys(kind, key + "."))  # type: ignore[arg-type]
        elif get_origin(kind) is dict and is_dataclass(args[1]):
            keys.update(schema_keys(args[1], key + ".*."))  # type: ignore[arg-type]
        else:
            keys[key] = kind
    return keys


def source_for(key: str) -> Source:
    """The entry for a concrete key, e.g. ``governance.models.urban.police_grid``.

    Mapping entries resolve to their pattern (``governance.models.*.police_grid``), list
    elements (``mediation.success[0]``) and entries of a mapping of plain values
    (``city.model_mix.urban``) to the mapping's key.

    Raises:
        KeyError: naming the key, when no entry covers it.
    """
    pattern = _resolve(re.sub(r"\[\d+\]$", "", key))
    if pattern is None:
        raise KeyError(f"{key}: no source entry in sim.mechanisms.sources.SOURCES")
    return SOURCES[pattern]


def _resolve(key: str) -> str | None:
    if key in SOURCES:
        return key
    parts = key.split(".")
    for i in range(len(parts)):
        starred = ".".join(parts[:i] + ["*"] + parts[i + 1:])
        if starred in SOURCES:
            return starred
    parent = _resolve(".".join(parts[:-1])) if len(parts) > 1 else None
    if parent is not None and get_origin(_SCHEMA.get(parent)) is dict:  # an entry of a mapping of values
        return parent
    return None


_SCHEMA = schema_keys()
