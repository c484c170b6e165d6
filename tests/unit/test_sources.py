"""Every configuration key has a unit and a source; every catalogue key is a real, sourced key;
defaults lie in their plausible ranges.

The keys are found by walking the configuration *objects* (the schema's defaults and the
composed default scenario), independently of ``sim.mechanisms.sources.schema_keys``, so a key
the lead adds to ``sim/config/`` fails here with its name until it gets an entry.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any, get_args, get_origin, get_type_hints

import pytest

from sim.api import compose_config
from sim.config import Config, ModelParams, StaffFactors
from sim.hydra_conf import to_config
from sim.mechanisms import mechanisms
from sim.mechanisms.sources import SOURCE_KINDS, SOURCES, source_for


def leaves(obj: Any, prefix: str = "") -> dict[str, Any]:
    """Concrete leaf keys of a config object (``governance.models.urban.police_grid``) -> value."""
    out: dict[str, Any] = {}
    hints = get_type_hints(type(obj))
    for f in fields(obj):
        value, key = getattr(obj, f.name), prefix + f.name
        if is_dataclass(hints[f.name]):  # a section (an optional one, filled in or not, is one key)
            out.update(leaves(value, key + "."))
        elif get_origin(hints[f.name]) is dict and is_dataclass(get_args(hints[f.name])[1]):
            for name, item in value.items():  # a mapping of sections: its entries' keys (none if empty)
                out.update(leaves(item, f"{key}.{name}."))
        else:
            out[key] = value
    return out


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def numbers(value: Any) -> list[float]:
    """The numbers a value holds: itself, a list's or a mapping's numeric elements."""
    if is_number(value):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [v for v in items if is_number(v)]


def default_config() -> Config:
    cfg = Config()
    cfg.staffing.by_banner = {"Hailar District": StaffFactors()}  # empty by default: give it one entry
    cfg.governance.models = {m: ModelParams() for m in cfg.governance.models}
    return cfg


@pytest.fixture(scope="module")
def scenario() -> Config:
    return to_config(compose_config([]))


def unsourced(cfg: Config) -> list[str]:
    missing = []
    for key in leaves(cfg):
        try:
            source_for(key)
        except KeyError:
            missing.append(key)
    return missing


def test_every_numeric_key_of_the_schema_has_a_source() -> None:
    cfg = default_config()
    numeric = [k for k, v in leaves(cfg).items() if numbers(v) or v is None]
    assert len(numeric) > 100  # the walk reaches the nested sections and the mappings of sections
    missing = [k for k in unsourced(cfg) if k in numeric]
    assert not missing, f"numeric config keys without an entry in sim/mechanisms/sources/: {missing}"


def test_every_key_of_the_default_scenario_has_a_source(scenario: Config) -> None:
    missing = unsourced(scenario)
    assert not missing, f"config keys without an entry in sim/mechanisms/sources/: {missing}"


def test_every_catalogue_key_is_a_config_key_with_a_source() -> None:
    concrete = list(leaves(default_config()))
    unknown, unsourced_keys = [], []
    for mechanism in mechanisms():
        for key in mechanism.keys:
            pattern = re.compile(re.escape(key).replace(r"\*", r"[^.]+"))  # '*': any one entry
            if not any(pattern.fullmatch(c) for c in concrete):
                unknown.append(f"{mechanism.name}: {key}")
                continue
            try:
                source_for(key)
            except KeyError:
                unsourced_keys.append(f"{mechanism.name}: {key}")
    assert not unknown, f"catalogue keys that are not in the config schema: {unknown}"
    assert not unsourced_keys, f"catalogue keys without an entry in sim/mechanisms/sources/: {unsourced_keys}"


def test_no_entry_is_stale_or_empty() -> None:
    concrete = leaves(default_config())
    stale = [k for k in SOURCES if not any(source_for(c) is SOURCES[k] for c in concrete)]
    assert not stale, f"entries in sim/mechanisms/sources/ for keys the config no longer has: {stale}"
    bad = {k: s.source for k, s in SOURCES.items()
           if not s.source.strip() or not s.unit.strip() or s.kind not in SOURCE_KINDS}
    assert not bad, f"entries whose source does not start with one of {SOURCE_KINDS} or with no unit: {bad}"
    vague = [k for k, s in SOURCES.items() if s.kind == "assumption" and (s.low is None or not s.note)]
    assert not vague, f"assumptions without a range and a reason: {vague}"


KNOWN_OUTSIDE: dict[str, set[str]] = {
    "schema": set(),
    "scenario": set(),
}
"""Defaults known to lie outside their range, each a problem to fix in the config, not in the range:
remove an entry when the default is fixed (the test then insists it stays fixed)."""


@pytest.mark.parametrize("which", ["schema", "scenario"])
def test_defaults_lie_in_their_plausible_ranges(which: str, scenario: Config) -> None:
    cfg = default_config() if which == "schema" else scenario
    outside = {}
    for key, value in leaves(cfg).items():
        s = source_for(key)
        for x in numbers(value):
            if (s.low is not None and x < s.low) or (s.high is not None and x > s.high):
                outside[key] = f"{key}={x} (range {s.range})"
    new = [v for k, v in outside.items() if k not in KNOWN_OUTSIDE[which]]
    assert not new, f"values outside their plausible range: {new}"
    fixed = KNOWN_OUTSIDE[which] - set(outside)
    assert not fixed, f"now inside their range, remove from KNOWN_OUTSIDE: {fixed}"


def test_concrete_keys_resolve_to_their_pattern_and_unknown_keys_are_named() -> None:
    assert source_for("governance.models.border.village_police") is SOURCES["governance.models.*.village_police"]
    assert source_for("disputes.kinds.family.season_peak_day") is SOURCES["disputes.kinds.*.season_peak_day"]
    assert source_for("mediation.success[3]") is SOURCES["mediation.success"]
    assert source_for("governance.models.rural.kind_mix.land") is SOURCES["governance.models.*.kind_mix"]
    with pytest.raises(KeyError, match="governance.models.urban.police_grid_chance: no source entry"):
        source_for("governance.models.urban.police_grid_chance")
    with pytest.raises(KeyError, match="staffing.duty_load.extra"):
        source_for("staffing.duty_load.extra")  # a plain number has no entries
