"""Bad input: one clear line on stderr naming the key and the bad value, a non-zero exit,
no traceback, and no run folder that looks complete (no summary.json).

Most cases call the real entry (``cli(main)``, as ``python -m sim`` does) in this process for
speed; a few run ``python -m sim`` as a subprocess to check the whole stderr and exit status.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import sim
from sim.errors import ShouwangError

ROOT = Path(__file__).resolve().parents[2]
FAST = ["city=demo_county", "days=5"]


def _table(tmp_path: Path, edit) -> str:
    text = resources.files("sim.world").joinpath("data/hulunbuir_banners.csv").read_text(encoding="utf-8")
    path = tmp_path / "city.csv"
    path.write_text(edit(text), encoding="utf-8")
    return str(path)


# (overrides, the message after "error: "); <name> stands for the path of a broken CSV
CASES = {
    "days zero": (["days=0"], "days: must be > 0, got 0"),
    "scale zero": (["scale=0"], "scale: must be in (0, 1], got 0.0"),
    "scale above one": (["scale=1.5"], "scale: must be in (0, 1], got 1.5"),
    "scale nan": (["scale=nan"], "scale: must be a finite number, got nan"),
    "seed word": (["seed=abc"], "seed: must be an integer, got 'abc'"),
    "seed fraction": (["seed=1.5"], "seed: must be an integer, got 1.5"),
    "seed null": (["seed=null"], "seed: must have a value (not null), got 'null'"),
    "section given a number": (["staffing.mediators=5"], "staffing.mediators: is a section (TierMediators)"),
    "empty run folder": (["hydra.run.dir="], "hydra.run.dir: must name a folder"),
    "governance preset": (["governance=nope"], "governance: unknown preset 'nope' (choose from "),
    "city preset": (["city=nope"], "city: unknown preset 'nope' (choose from "),
    "staffing preset": (["staffing=nope"], "staffing: unknown preset 'nope' (choose from "),
    "launcher": (["hydra/launcher=nope"], "hydra/launcher: unknown preset 'nope' (choose from basic"),
    "banner name": (["+governance.banner_models.Atlantis=rural"],
                    "governance.banner_models: unknown banner 'Atlantis' (known: "),
    "banner model": (["+governance.banner_models.demo_county=jungle"],
                     "governance.banner_models.demo_county: unknown model 'jungle' (choose from "),
    "banner entry without +": (["governance.banner_models={Atlantis: rural}"],
                               "governance.banner_models: new entries need a leading '+'"),
    "staffing negative": (["staffing.grid_workers_per_grid=-1"],
                          "staffing.grid_workers_per_grid: must be >= 0, got -1.0"),
    "staffing nan": (["staffing.grid_workers_per_grid=nan"],
                     "staffing.grid_workers_per_grid: must be a finite number, got nan"),
    "staffing inf": (["staffing.mediators.banner=inf"],
                     "staffing.mediators.banner: must be a finite number, got inf"),
    "staffing word": (["staffing.mediators.village=many"],
                      "staffing.mediators.village: must be a number, got 'many'"),
    "probability above one": (["mediation.escalate=1.5"],
                              "mediation.escalate: a probability must be in [0, 1], got 1.5"),
    "probability negative": (["governance.models.rural.grid_settle=-0.1"],
                             "governance.models.rural.grid_settle: must be >= 0, got -0.1"),
    "unknown key": (["dayz=3"], "dayz: unknown key (not in the config); did you mean 'days'?, got dayz=3"),
    "unknown appended key": (["+foo=1"], "foo: unknown key (not in the config), got foo=1"),
    "unknown nested key": (["staffing.mediators.county=3"],
                           "staffing.mediators.county: unknown key (not in staffing.mediators)"),
    "malformed brackets": (["days=[1"], "days: malformed override (no viable alternative at input '[1'"),
    "malformed no equals": (["days"], "days: malformed override (missing EQUAL at '<EOF>'"),
    "unresolvable interpolation": (["days=${nowhere}"], "days: cannot resolve interpolation"),
    "relative config path": (["--config-path", "no/such/.hydra", "--config-name", "config"],
                             "--config-path: no such config folder (a run folder's .hydra"),
    "unknown flag": (["--frobnicate"], "command line: unrecognized arguments: --frobnicate"),
    "zero village mediators": (["staffing.mediators.village=0"],
                               "staffing.mediators.village: 0 mediators at a tier that receives disputes"),
    "zero banner mediators": (["staffing.mediators.banner=0"],
                              "staffing.mediators.banner: 0 mediators at a tier that receives disputes"),
    "table missing file": (["city=hulunbuir", "city.table=/nowhere/city.csv"],
                           "city.table: no such file '/nowhere/city.csv'"),
    "table missing column": (["city=hulunbuir", "city.table=<missing_column>"],
                             "city.table '<missing_column>': missing column 'area_km2'"),
    "table negative population": (["city=hulunbuir", "city.table=<negative>"],
                                  "city.table '<negative>': negative population_2020 -365012 for code "
                                  "150702"),
    "table duplicate code": (["city=hulunbuir", "city.table=<duplicate>"],
                             "city.table '<duplicate>': duplicate code '150702'"),
}
TABLE_EDITS = {
    "missing_column": lambda s: s.replace("area_km2", "area", 1),
    "negative": lambda s: s.replace("365012", "-365012", 1),
    "duplicate": lambda s: s.replace("150703,", "150702,", 1),
}


def _fill(text: str, tables: dict[str, str]) -> str:
    for name, path in tables.items():
        text = text.replace(f"<{name}>", path)
    return text


@pytest.fixture
def tables(tmp_path):
    out = {}
    for name, edit in TABLE_EDITS.items():
        (tmp_path / name).mkdir()
        out[name] = _table(tmp_path / name, edit)
    return out


def _in_process(args: list[str], run_dir: Path, monkeypatch, capsys) -> tuple[int, str]:
    from sim.__main__ import main
    from sim.cli import cli

    for var in ("SHOUWANG_DEBUG", "HYDRA_FULL_ERROR"):
        monkeypatch.delenv(var, raising=False)
    argv = [*FAST, f"hydra.run.dir={run_dir}", "scale=0.05", *args]
    monkeypatch.setattr(sys, "argv", ["sim", *argv])
    with pytest.raises(SystemExit) as stop:
        cli(main)
    return stop.value.code, capsys.readouterr().err


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_naming_key_and_value(case, tables, tmp_path, monkeypatch, capsys):
    args, message = CASES[case]
    args, message = [_fill(a, tables) for a in args], _fill(message, tables)
    code, err = _in_process(args, tmp_path / "run", monkeypatch, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {message}"), lines[0]
    assert "Traceback" not in err
    assert not list(tmp_path.rglob("summary.json"))  # nothing looks complete


@pytest.mark.parametrize("case", ["seed word", "governance preset", "days zero"])
def test_python_api_raises_the_same_line(case, tmp_path):
    args, message = CASES[case]
    with pytest.raises(ShouwangError) as err:
        sim.simulate(FAST + args, run_dir=tmp_path / "run")
    assert str(err.value).startswith(message)
    assert not (tmp_path / "run" / "summary.json").exists()


def _python_m_sim(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.mark.slow
def test_python_m_sim_prints_one_line_and_exits_2(tables, tmp_path):
    env = {"SHOUWANG_DEBUG": "", "HYDRA_FULL_ERROR": ""}
    # one failure in Hydra's composition (before our code runs), one inside the job
    for args, message in [(["seed=abc"], CASES["seed word"][1]),
                          (["city=hulunbuir", f"city.table={tables['duplicate']}"],
                           _fill(CASES["table duplicate code"][1], tables))]:
        done = _python_m_sim([*FAST, f"hydra.run.dir={tmp_path / 'run'}", *args], env)
        assert done.returncode == 2, done.stderr
        assert done.stderr.splitlines() == [done.stderr.strip()], done.stderr
        assert done.stderr.startswith(f"error: {message}"), done.stderr
        assert not (tmp_path / "run" / "summary.json").exists()


@pytest.mark.parametrize("debug_var", ["SHOUWANG_DEBUG", "HYDRA_FULL_ERROR"])
def test_debug_switch_raises_the_real_exception(debug_var, tmp_path, monkeypatch, capsys):
    from sim.__main__ import main
    from sim.cli import cli

    monkeypatch.setenv(debug_var, "1")
    monkeypatch.setattr(sys, "argv", ["sim", *FAST, f"hydra.run.dir={tmp_path}", "days=0"])
    with pytest.raises(ShouwangError, match=r"days: must be > 0, got 0"):  # with its traceback
        cli(main)
