"""The mechanism catalogue covers the model: every model parameter is read by a declared mechanism,
every declaring module is known to the catalogue, and each mechanism is declared where its code is.

The keys are found by walking the configuration objects (as ``test_sources`` does), not from the
catalogue's own bookkeeping, so a parameter added to the schema fails here, named, until a
mechanism declares it (or its source says it is a ``setting`` of the run).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from sim.catalogue import PHASES, declare
from sim.mechanisms.catalogue import DECLARED_IN, mechanisms
from sim.mechanisms.sources import source_for
from tests.unit.test_sources import default_config, leaves

SIM = Path(__file__).resolve().parents[2] / "sim"


def declared_patterns() -> list[re.Pattern[str]]:
    return [re.compile(re.escape(k).replace(r"\*", r"[^.]+")) for m in mechanisms() for k in m.keys]


def test_every_model_parameter_is_read_by_a_declared_mechanism() -> None:
    patterns = declared_patterns()
    keys = leaves(default_config())
    parameters = [k for k in keys if source_for(k).kind != "setting"]
    assert len(parameters) > 150  # the walk reaches the nested sections and the mappings of sections
    orphans = [k for k in parameters if not any(p.fullmatch(k) for p in patterns)]
    assert not orphans, f"model parameters no catalogue entry declares (declare them next to their code): {orphans}"


def test_settings_are_few_and_only_choices_of_the_run() -> None:
    """A key marked ``setting`` escapes the check above: keep that list to choices of the run."""
    settings = sorted({source_for(k).source for k in leaves(default_config()) if source_for(k).kind == "setting"})
    assert all(s.startswith("setting: ") for s in settings)
    undeclared = [k for k in leaves(default_config())
                  if source_for(k).kind == "setting" and not any(p.fullmatch(k) for p in declared_patterns())]
    # the run (seed, days, scale, progress), the presets' names, the world's input, the check mode
    allowed = re.compile(r"(seed|days|scale|progress|city\.(name|kind|table)|\w+\.name|timeline\.before_governance"
                         r"|validation\.\w+)")
    assert [k for k in undeclared if not allowed.fullmatch(k)] == []


def declaring_modules() -> set[str]:
    """Modules under sim/ whose source calls ``declare(...)`` (found by parsing, not importing)."""
    found = set()
    for path in SIM.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "declare"]
        if calls and path.name != "catalogue.py":
            parts = path.relative_to(SIM.parent).with_suffix("").parts
            found.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def test_every_declaring_module_is_imported_by_the_catalogue() -> None:
    assert declaring_modules() == set(DECLARED_IN)


def test_each_mechanism_is_declared_in_its_modules_and_ordered_by_phase() -> None:
    ms = mechanisms()
    assert len(ms) >= 46 and len({m.name for m in ms}) == len(ms)
    assert {m.module for m in ms} == set(DECLARED_IN)
    assert [PHASES.index(m.phase) for m in ms] == sorted(PHASES.index(m.phase) for m in ms)
    by_name = {m.name: m for m in ms}
    # the residents' population, the grid workforce and the fraud campaign are declared with their code
    assert by_name["fraud_campaign"].module == by_name["resident_state"].module == "sim.agents.residents"
    assert "fraud.campaign_reach_per_10k_day" in by_name["fraud_campaign"].keys
    assert by_name["anti_fraud_talks"].module == "sim.agents.grid_workers"
    assert "governance.models.*.fraud_awareness_visit" in by_name["anti_fraud_talks"].keys
    assert "shocks.epidemic.diverted" in by_name["epidemic"].keys


def test_a_mechanism_is_declared_once_in_a_known_phase() -> None:
    mechanisms()
    with pytest.raises(ValueError, match="mechanism 'arrivals' is declared twice"):
        declare("arrivals", "arrival", "again")
    with pytest.raises(ValueError, match="mechanism 'x': unknown phase 'lunch'"):
        declare("x", "lunch", "eats")
