"""Safe defaults: the dashboard listens on loopback unless told otherwise; configs cannot make
the code call arbitrary ``_target_`` callables; YAML and CSV are read as data, never as code."""

from __future__ import annotations

import ast
import sys
from importlib import resources
from pathlib import Path

import pytest
import yaml
from omegaconf import OmegaConf

import sim
from sim.errors import ShouwangError
from sim.world.table import load_banner_table

ROOT = Path(__file__).resolve().parents[2]
EXPLOITS = {
    "apply": '!!python/object/apply:os.system ["touch {marker}"]',
    "new": '!!python/object/new:subprocess.check_output [["touch", "{marker}"]]',
    "name": "!!python/name:os.system",
}


def test_dashboard_binds_loopback_by_default():
    app = pytest.importorskip("sim.app")
    assert app.parse_args([]).host == "127.0.0.1"
    assert app.parse_args(["--host", "0.0.0.0"]).host == "0.0.0.0"  # only when asked


def _calls(name: str) -> list[str]:
    hits = []
    for path in [*(ROOT / "sim").rglob("*.py"), *(ROOT / "experiments").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                called = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                if called == name:
                    hits.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return hits


def test_code_never_instantiates_or_evaluates_config_values():
    assert _calls("instantiate") == []  # Hydra's instantiate is not used on user configs
    assert _calls("eval") == [] and _calls("exec") == []
    assert _calls("unsafe_load") == [] and _calls("full_load") == []
    # every yaml.load names a safe loader
    for path in (ROOT / "sim").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "load" \
                    and getattr(node.func.value, "id", "") == "yaml":
                assert "Safe" in ast.unparse(node), f"{path}:{node.lineno}"


def test_shipped_targets_are_project_or_hydra_plugins():
    targets = []
    for path in (ROOT / "scenarios").rglob("*.yaml"):
        def walk(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "_target_":
                        targets.append(v)
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert all(t.startswith(("sim.", "hydra_plugins.")) for t in targets), targets


@pytest.mark.parametrize("group", ["city", "governance", "staffing"])
def test_a_target_in_a_scenario_is_an_unknown_key(group, tmp_path):
    with pytest.raises(ShouwangError, match=rf"{group}._target_: unknown key"):
        sim.simulate(["city=demo_county", "days=2", f"+{group}._target_=os.system"], run_dir=tmp_path)
    assert not (tmp_path / "summary.json").exists()


@pytest.mark.parametrize("tag", list(EXPLOITS))
def test_yaml_python_tags_are_refused_not_run(tag, tmp_path):
    marker = tmp_path / "pwned"
    text = f"name: {EXPLOITS[tag].format(marker=marker)}\nkind: synthetic\n"
    (tmp_path / "x.yaml").write_text(text)
    with pytest.raises(yaml.constructor.ConstructorError):
        OmegaConf.load(tmp_path / "x.yaml")  # what Hydra uses for every scenario file
    assert not marker.exists()


def test_a_scenario_file_with_a_python_tag_is_one_line_and_runs_nothing(tmp_path, monkeypatch, capsys):
    from sim.__main__ import main
    from sim.cli import cli

    marker = tmp_path / "pwned"
    (tmp_path / "conf" / "city").mkdir(parents=True)
    (tmp_path / "conf" / "city" / "evil.yaml").write_text(
        f"name: {EXPLOITS['apply'].format(marker=marker)}\nkind: synthetic\n")
    for var in ("SHOUWANG_DEBUG", "HYDRA_FULL_ERROR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "argv", ["sim", "--config-dir", str(tmp_path / "conf"), "city=evil", "days=2",
                                      f"hydra.run.dir={tmp_path / 'run'}"])
    with pytest.raises(SystemExit) as stop:
        cli(main)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and len(err.splitlines()) == 1
    evil = tmp_path / "conf" / "city" / "evil.yaml"
    assert err.startswith(f"error: config file {evil}, line 1: YAML refused")
    assert "python/object/apply:os.system" in err
    assert not marker.exists() and not (tmp_path / "run" / "summary.json").exists()


def _table(tmp_path: Path, edit) -> str:
    text = resources.files("sim.world").joinpath("data/hulunbuir_banners.csv").read_text(encoding="utf-8")
    path = tmp_path / "city.csv"
    path.write_text(edit(text), encoding="utf-8")
    return str(path)


def test_csv_text_is_data_never_code(tmp_path):
    marker = tmp_path / "pwned"
    payload = f"=cmd|'/c touch {marker}'!A0 __import__('os').system('touch {marker}')"
    path = _table(tmp_path, lambda s: s.replace("Hailar District", payload.replace(",", ";"), 1))
    t = load_banner_table(path)
    assert t.at[0, "name_en"] == payload.replace(",", ";")  # kept verbatim, as text
    assert not marker.exists()


def test_csv_code_in_a_number_column_is_refused(tmp_path):
    path = _table(tmp_path, lambda s: s.replace("365012", "__import__('os').getpid()", 1))
    with pytest.raises(ShouwangError, match=r"column 'population_2020': not a number: \"__import__"):
        load_banner_table(path)
