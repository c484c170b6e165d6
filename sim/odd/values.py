"""Configuration values as the description shows them: composed value, unit, source, range."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np

from sim.config import Config
from sim.mechanisms.sources import SOURCES, Source


def value_of(cfg: Config, key: str) -> Any:
    """A key's composed value; a ``*`` key gives ``{entry: value}`` over the mapping's entries."""
    obj: Any = cfg
    parts = key.split(".")
    for i, part in enumerate(parts):
        if part == "*":
            return {name: value_of(item, ".".join(parts[i + 1:])) for name, item in obj.items()}
        obj = getattr(obj, part)
    return obj


def fmt(value: Any, nested: bool = False) -> str:
    """A value as text: numbers in short form, lists in brackets, mappings as ``name: value``."""
    if isinstance(value, bool) or value is None:
        return "null" if value is None else str(value).lower()
    if isinstance(value, float):
        return f"{value:.6g}"
    if is_dataclass(value) and isinstance(name := getattr(value, "name", None), str):  # a whole preset
        return f"{type(value).__name__} `{name}`"
    if is_dataclass(value):
        return fmt({f.name: getattr(value, f.name) for f in fields(value)}, nested)
    if isinstance(value, dict):
        if nested:
            return "{" + ", ".join(f"{k} {fmt(v, True)}" for k, v in value.items()) + "}"
        return "{}" if not value else "; ".join(f"{k}: {fmt(v, True)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(fmt(v, True) for v in value) + "]"
    return str(value)


def _numbers(value: Any) -> list[float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [float(value)]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [x for v in items for x in _numbers(v)]


def outside(value: Any, s: Source) -> bool:
    """Whether any number in ``value`` lies outside the entry's plausible range."""
    lo = -np.inf if s.low is None else s.low
    hi = np.inf if s.high is None else s.high
    return any(not lo <= x <= hi for x in _numbers(value))


def cell(text: str) -> str:
    """Text made safe for a Markdown table cell (pipes escaped, lines joined)."""
    return text.replace("|", "\\|").replace("\n", " ")


def key_table(cfg: Config, keys: list[str]) -> list[str]:
    """A Markdown table of keys: composed value, unit, source, plausible range and note."""
    lines = ["| key | value | unit | source | range | note |", "|" + " --- |" * 6]
    for key in keys:
        s = SOURCES.get(key, Source("?", "MISSING: no entry in sim/mechanisms/sources/"))
        value = value_of(cfg, key)
        flag = " ⚠ outside range" if outside(value, s) else ""
        row = [f"`{key}`", fmt(value) + flag, s.unit, s.source, s.range, s.note]
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return lines
