"""The generated model description (``python -m sim.odd``): nothing missing, the schedule in the
code's order, the composed values, bad input in one line.

The expected keys come from walking the schema's type hints here and the expected mechanisms
from the catalogue, so a key or an entry the engine gains is expected in the description too.
"""

from __future__ import annotations

import builtins
import inspect
import os
import re
import subprocess
import sys
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import get_args, get_origin, get_type_hints

import pytest

from sim.api import compose_config
from sim.config import CityConfig, Config
from sim.hydra_conf import to_config
from sim.mechanisms import mechanisms
from sim.model import ShouwangModel
from sim.odd import describe, main, write_model_md
from tests.unit.test_sources import KNOWN_OUTSIDE

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = {"default": [], "demo_pastoral": ["city=demo_county", "governance=pastoral"],
             "reform_timeline": ["city=demo_county", "timeline=reform_2019_2022"]}


def schema_patterns(cls: type = Config, prefix: str = "") -> list[str]:
    """Every leaf key of the schema; entries of a mapping of sections as ``*``."""
    hints = get_type_hints(cls)
    out: list[str] = []
    for f in fields(cls):
        kind, key = hints[f.name], prefix + f.name
        if is_dataclass(kind):
            out += schema_patterns(kind, key + ".")
        elif get_origin(kind) is dict and is_dataclass(get_args(kind)[1]):
            out += schema_patterns(get_args(kind)[1], key + ".*.")
        else:
            out.append(key)
    return out


@pytest.fixture(scope="module")
def odd() -> dict[str, str]:
    return {name: describe(to_config(compose_config(ov)), ov) for name, ov in SCENARIOS.items()}


def section(text: str, start: str, end: str | None = None) -> str:
    body = text.split(start, 1)[1]
    return body.split(end, 1)[0] if end else body


def row(text: str, key: str) -> str:
    """The appendix row of a key."""
    return next(line for line in section(text, "## Appendix").splitlines() if line.startswith(f"| `{key}` |"))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_config_key_and_catalogue_entry_is_described(odd: dict[str, str], scenario: str) -> None:
    text = odd[scenario]
    keys = schema_patterns()
    assert len(keys) > 150
    appendix = section(text, "## Appendix")
    missing_keys = [k for k in keys if f"| `{k}` |" not in appendix]
    assert not missing_keys, f"config keys missing from the ODD appendix: {missing_keys}"
    submodels = section(text, "## 7. Submodels", "## Appendix")
    missing = [m.name for m in mechanisms() if not re.search(rf"^### 7\.\d+ `{m.name}`", submodels, re.M)]
    assert not missing, f"catalogue entries missing from the ODD submodels: {missing}"
    for m in mechanisms():  # each submodel's table lists the keys it declares
        block = section(submodels, f"`{m.name}`", "\n### ")
        assert all(f"| `{k}` |" in block for k in m.keys), m.name
    assert "MISSING" not in text
    headings = ["## 1. Purpose and patterns", "## 2. Entities", "## 3. Process overview and scheduling",
                "## 4. Design concepts", "## 5. Initialization", "## 6. Input data", "## 7. Submodels"]
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)


def test_counts_are_those_of_the_composed_city(odd: dict[str, str]) -> None:
    default = section(odd["default"], "## 2.", "## 3.")
    assert "1 → 14 → 142 → 1156 → 6997" in default  # Hulunbuir: 14 banners, 6,997 grids (the article)
    assert "| 23,912 |" in default  # grid workers (the article)
    assert "village 1,136 · township 141 · banner 14 · city 1" in default
    demo = section(odd["demo_pastoral"], "## 2.", "## 3.")
    assert "1 → 1 → 6 → " in demo and "30,000 (population 30,000" in demo
    assert "Hailar District" in odd["default"] and "synthetic county `demo_county`" in odd["demo_pastoral"]


def step_calls() -> list[str]:
    """Calls in ``ShouwangModel.step`` in source order (arguments first), found by a regex, kept
    when they reach code of the project or SimPy (not builtins, not list methods)."""
    source = inspect.getsource(ShouwangModel.step).split('"""')[-1]
    city = CityConfig(name="t", kind="synthetic", population=300, townships=1, villages_per_township=1,
                      grids=None, township_centres=None, village_centres=None, model_mix={"rural": 1.0})
    model = ShouwangModel(Config(days=1, city=city))
    namespace = vars(sys.modules[ShouwangModel.__module__])
    calls = []
    for line in source.splitlines():
        # innermost first: the regex finds outer calls first on a line, so reverse within the line
        for name in reversed(re.findall(r"([A-Za-z_][\w.]*)\(", line)):
            if name in dir(builtins):
                continue
            parts = name.split(".")
            obj = model if parts[0] == "self" else namespace.get(parts[0])
            for p in parts[1:]:
                obj = getattr(obj, p, None)
            if (getattr(obj, "__module__", None) or "").startswith(("sim", "simpy")):
                calls.append(name)
    return calls


def test_schedule_lists_the_calls_of_step_in_order(odd: dict[str, str]) -> None:
    expected = step_calls()
    assert {"self.arrivals.step", "self.rounds", "self.detect", "self.env.run"} <= set(expected)
    schedule = section(odd["default"], "## 3. Process overview and scheduling", "Mechanisms by phase")
    top = [m.group(1) for m in re.finditer(r"^\d+\. `([^`]+)`", schedule, re.M)]
    assert top == expected
    # a call under an `if` says so (e.g. a reform phase is adopted on its first day only)
    lines = inspect.getsource(ShouwangModel.step).splitlines()
    for i, line in enumerate(lines[:-1]):
        m = re.match(r"(\s*)if (.+):$", line)
        inner = re.match(rf"{m.group(1)}\s+(self\.[\w.]+)\(", lines[i + 1]) if m else None
        if inner and inner.group(1) in expected:
            assert f"`{inner.group(1)}` (only if `{m.group(2)}`)" in schedule
    # the model's own methods are expanded with their calls
    assert re.search(r"^\d+\. `self\.detect`.*\n(    - .*\n)*    - `self\.handling\.detected`", schedule, re.M)


def test_values_shown_are_the_composed_ones(odd: dict[str, str]) -> None:
    cfg = to_config(compose_config(["staffing.duty_load=0.55", "governance.models.urban.police_grid=0.17",
                                    "mediation.success=[0.9,0.9,0.8,0.8]"]))
    text = describe(cfg)
    assert "| `staffing.duty_load` | 0.55 |" in row(text, "staffing.duty_load")
    assert "| `staffing.duty_load` | 0.4 |" in row(odd["default"], "staffing.duty_load")
    assert "urban: 0.17; rural: 0;" in row(text, "governance.models.*.police_grid")
    assert "| [0.9, 0.9, 0.8, 0.8] |" in row(text, "mediation.success")
    # the default scenario's (calibration) values, not the schema's
    composed = to_config(compose_config([])).mediation.success
    assert composed != Config().mediation.success
    assert f"| [{', '.join(f'{x:g}' for x in composed)}] |" in row(odd["default"], "mediation.success")
    assert "applied: `pastoral`" in odd["demo_pastoral"]
    assert "{start 2020-01-01, level 0.35," in row(odd["reform_timeline"], "timeline.phases")
    assert "| `timeline.before_governance` | GovernanceConfig `pre_reform` |" in odd["reform_timeline"]


def test_values_outside_their_plausible_range_are_flagged(odd: dict[str, str]) -> None:
    text = describe(to_config(compose_config(["staffing.duty_load=0.9"])))
    assert "| 0.9 ⚠ outside range | share (0-1) | assumption | 0.2 - 0.7 |" in row(text, "staffing.duty_load")
    flagged = {m.group(1) for m in re.finditer(r"^\| `([^`]+)` \| [^|]* ⚠ outside range \|", section(
        odd["default"], "## Appendix"), re.M)}
    assert flagged == KNOWN_OUTSIDE["scenario"]  # the default scenario's known problems, no more


def test_the_committed_example_describes_the_default_scenario_as_it_is(odd: dict[str, str]) -> None:
    # README links results/examples/model.md as the default scenario's description; a change to a
    # default, a source or the schedule that is not regenerated leaves readers a stale model
    committed = (ROOT / "results" / "examples" / "model.md").read_text(encoding="utf-8")
    assert committed == odd["default"], "stale: run python -m sim.odd --out results/examples/model.md"


def test_write_model_md_writes_into_the_run_folder(tmp_path: Path) -> None:
    cfg = to_config(compose_config(SCENARIOS["demo_pastoral"]))
    path = write_model_md(cfg, tmp_path / "run")
    assert path == tmp_path / "run" / "model.md"
    assert path.read_text(encoding="utf-8").startswith("# Shouwang 守望: model description (ODD)")
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_cli_prints_and_writes_the_description(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "model.md"
    main(["city=demo_county", "governance=pastoral", "--out", str(out)])
    printed = capsys.readouterr().out
    assert "city `demo_county` · governance `pastoral`" in printed
    assert out.read_text(encoding="utf-8") == printed


def test_python_m_sim_odd_refuses_a_bad_override_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "model.md"
    env = {**os.environ, "SHOUWANG_DEBUG": "", "HYDRA_FULL_ERROR": ""}  # not in debug mode (full tracebacks)
    done = subprocess.run([sys.executable, "-m", "sim.odd", "dayz=3", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 2
    assert done.stderr == "error: dayz: unknown key (not in the config); did you mean 'days'?, got dayz=3\n"
    assert done.stdout == "" and not out.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["staffing.duty_load=2"], "error: staffing.duty_load: a probability must be in [0, 1], got 2.0"),
    (["governance=nope"], "error: governance: unknown preset 'nope'"),
    (["--outfile", "x"], "error: command line: unrecognized arguments: --outfile"),
])
def test_bad_input_is_one_line_and_status_2(tmp_path: Path, capsys: pytest.CaptureFixture,
                                            monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    for var in ("SHOUWANG_DEBUG", "HYDRA_FULL_ERROR"):  # debug mode would raise instead
        monkeypatch.delenv(var, raising=False)
    out = tmp_path / "model.md"
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--out", str(out)])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message) and captured.err.count("\n") == 1, captured.err
    assert captured.out == "" and not out.exists()


def test_counts_built_for_the_description_are_the_runs_own(odd: dict[str, str]) -> None:
    # the synthetic county is drawn from the seed's world stream: the description must draw the same
    cfg = to_config(compose_config([*SCENARIOS["demo_pastoral"], "seed=7"]))
    built = section(describe(cfg), "## 2.", "## 3.")
    from_run = section(describe(cfg, model=ShouwangModel(cfg)), "## 2.", "## 3.")
    assert built == from_run
    assert built != section(odd["demo_pastoral"], "## 2.", "## 3.")  # seed 0 draws another county
