"""Reproducing a run reads data, never code: each attempt below would write a file (or leak an
environment variable) if it were obeyed. Each is refused in one line with exit 2, and the file
is not written.

"Reproduce a run" (``--config-path <run>/.hydra --config-name config``) loads only the run's job
configuration, with the project's own Hydra settings; the command line may set run and sweep
folders and launcher fields, choose shipped presets by name, and nothing else of Hydra's.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
import yaml

import sim
from sim.errors import ShouwangError
from sim.results import read_run

SECRET = "shouwang-test-secret-3141"


def _cli(args: list[str], monkeypatch, capsys) -> tuple[int, str]:
    from sim.__main__ import main
    from sim.cli import cli

    for var in ("SHOUWANG_DEBUG", "HYDRA_FULL_ERROR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SHOUWANG_SECRET", SECRET)
    monkeypatch.setattr(sys, "argv", ["sim", *args])
    try:
        cli(main)
    except SystemExit as stop:
        return int(stop.code or 0), capsys.readouterr().err
    return 0, capsys.readouterr().err


@pytest.fixture(scope="module")
def finished_once(tmp_path_factory) -> Path:
    return sim.simulate(["city=demo_county", "days=3", "seed=5"], run_dir=tmp_path_factory.mktemp("f") / "run").run_dir


@pytest.fixture
def finished(finished_once, tmp_path) -> Path:
    """A finished run folder of this test's own (a copy: the tests plant files in it)."""
    return Path(shutil.copytree(finished_once, tmp_path / "run"))


def _writes(marker: Path) -> dict:
    """A Hydra callback that, if instantiated, creates ``marker`` (``open(marker, "w")``)."""
    return {"callbacks": {"x": {"_target_": "builtins.open", "file": str(marker), "mode": "w"}}}


def _edit(finished: Path, change) -> Path:
    path = finished / ".hydra" / "config.yaml"
    cfg = yaml.safe_load(path.read_text())
    change(cfg)
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True))
    return finished / ".hydra"


def test_reproducing_a_run_works_and_uses_the_projects_hydra_settings(finished, tmp_path, monkeypatch, capsys):
    code, err = _cli(["--config-path", str(finished / ".hydra"), "--config-name", "config",
                      f"hydra.run.dir={tmp_path / 'again'}"], monkeypatch, capsys)
    assert code == 0, err
    again = read_run(tmp_path / "again")
    assert again.disputes.equals(read_run(finished).disputes)
    hydra = yaml.safe_load((tmp_path / "again" / ".hydra" / "hydra.yaml").read_text())["hydra"]
    assert list(hydra["callbacks"]) == ["sweep_progress"]  # scenarios/config.yaml's, nothing else


@pytest.mark.parametrize("attack", ["hydra section", "defaults list", "target in a value", "env resolver"])
def test_a_run_folder_cannot_run_code_or_read_the_environment(attack, finished, tmp_path, monkeypatch, capsys):
    marker = tmp_path / "pwned"
    change = {
        "hydra section": lambda c: c.update(hydra=_writes(marker)),
        "defaults list": lambda c: c.update(defaults=[{"override hydra/launcher": "basic"}, "_self_"]),
        "target in a value": lambda c: c["city"].update(model_mix={"_target_": "builtins.open"}),
        "env resolver": lambda c: c["city"].update(name="${oc.env:SHOUWANG_SECRET}"),
    }[attack]
    folder = _edit(finished, change)
    out = tmp_path / "again"
    code, err = _cli(["--config-path", str(folder), "--config-name", "config", f"hydra.run.dir={out}"],
                     monkeypatch, capsys)
    assert code == 2 and len(err.splitlines()) == 1, err
    assert err.startswith("error: ") and "Traceback" not in err
    assert not marker.exists() and not out.exists()
    assert SECRET not in err


def test_the_other_files_of_a_run_folder_are_never_read(finished, tmp_path, monkeypatch, capsys):
    marker = tmp_path / "pwned"
    hydra_dir = finished / ".hydra"
    (hydra_dir / "hydra" / "launcher").mkdir(parents=True)  # a launcher planted beside the config
    (hydra_dir / "hydra" / "launcher" / "basic.yaml").write_text(
        yaml.safe_dump({"_target_": "builtins.open", "file": str(marker), "mode": "w"}))
    code, err = _cli(["--config-path", str(hydra_dir), "--config-name", "config", "hydra/launcher=basic",
                      f"hydra.run.dir={tmp_path / 'again'}"], monkeypatch, capsys)
    assert code == 0, err  # the shipped basic launcher ran, not the planted file
    assert not marker.exists()
    (hydra_dir / "hydra.yaml").write_text(yaml.safe_dump({"hydra": _writes(marker)}))  # as Hydra's runs have
    code, err = _cli(["--config-path", str(hydra_dir), "--config-name", "hydra",
                      f"hydra.run.dir={tmp_path / 'b'}"], monkeypatch, capsys)
    assert code == 2 and "a 'hydra' section" in err, err


COMMAND_LINE = {
    "callback": (lambda m: ["+hydra.callbacks.x._target_=builtins.open", f"+hydra.callbacks.x.file={m}",
                            "+hydra.callbacks.x.mode=w"],
                 "error: hydra.callbacks.x._target_: _target_ is code, not data"),
    "launcher target": (lambda m: ["hydra.launcher._target_=builtins.open"],
                        "error: hydra.launcher._target_: _target_ is code, not data"),
    "env_set": (lambda m: [f"+hydra.job.env_set.PYTHONSTARTUP={m}"],
                "error: hydra.job.env_set.PYTHONSTARTUP: Hydra settings from the command line are limited to"),
    "searchpath": (lambda m: [f"hydra.searchpath=[file://{m.parent}]"],
                   "error: hydra.searchpath: Hydra settings from the command line are limited to"),
    "mode": (lambda m: ["hydra.mode=MULTIRUN"], "error: hydra.mode: Hydra settings from the command line"),
    "preset path": (lambda m: [f"governance=../../../../../../{m.parent}/evil"],
                    "error: governance: a preset is a name from scenarios/governance/, not a path"),
    "added preset path": (lambda m: [f"+experiment=../../../../../../{m.parent}/evil"],
                          "error: experiment: a preset is a name from scenarios/experiment/, not a path"),
    "launcher path": (lambda m: [f"hydra/launcher=../../../../../../{m.parent}/evil"],
                      "error: hydra/launcher: a preset is a name from scenarios/hydra/launcher/, not a path"),
    "help group": (lambda m: ["hydra/help=x"], "error: hydra/help: not a group a command line may choose"),
    "env resolver": (lambda m: ["city.name=${oc.env:SHOUWANG_SECRET}"],
                     "error: city.name: resolver 'oc.env' is off"),
    "env resolver in a sweep": (lambda m: ["-m", "city.name=a,${oc.env:SHOUWANG_SECRET}"],
                                "error: city.name[1]: resolver 'oc.env' is off"),
    "decode resolver": (lambda m: ["+city.model_mix={urban: '${oc.decode:1}'}"],
                        "error: city.model_mix.urban: resolver 'oc.decode' is off"),
    "pickled rerun": (lambda m: ["--experimental-rerun", str(m)],
                      "error: --experimental-rerun: it loads a pickled config (code), refused"),
    "config name path": (lambda m: ["--config-name", "../../x"], "error: --config-name: a name from scenarios/"),
}


@pytest.mark.parametrize("attack", list(COMMAND_LINE))
def test_a_command_line_cannot_run_code_or_read_the_environment(attack, tmp_path, monkeypatch, capsys):
    marker = tmp_path / "pwned"
    (tmp_path / "evil.yaml").write_text(yaml.safe_dump({"hydra": _writes(marker)}))  # for the path attacks
    make, message = COMMAND_LINE[attack]
    out = tmp_path / "run"
    args = make(marker)
    flags = [a for a in args if a == "-m"]
    code, err = _cli([*flags, "city=demo_county", "days=2", f"hydra.run.dir={out}", *(a for a in args if a != "-m")],
                     monkeypatch, capsys)
    assert code == 2 and err.splitlines() == [err.strip()], err
    assert err.startswith(message), err
    assert not marker.exists() and not out.exists() and SECRET not in err


def test_the_python_api_vets_overrides_too(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOUWANG_SECRET", SECRET)
    marker = tmp_path / "pwned"
    for bad in (["+hydra.callbacks.x._target_=builtins.open", f"+hydra.callbacks.x.file={marker}"],
                ["city.name=${oc.env:SHOUWANG_SECRET}"], ["governance=../../x"]):
        with pytest.raises(ShouwangError):
            sim.simulate(["city=demo_county", "days=2", *bad], run_dir=tmp_path / "run")
    assert not marker.exists() and not (tmp_path / "run").exists()


def test_a_users_preset_folder_is_data_only(tmp_path, monkeypatch, capsys):
    marker = tmp_path / "pwned"
    conf = tmp_path / "conf"
    (conf / "governance").mkdir(parents=True)
    (conf / "governance" / "mine.yaml").write_text("name: mine\napply: rural\n")
    ok, err = _cli(["--config-dir", str(conf), "governance=mine", "city=demo_county", "days=2",
                    f"hydra.run.dir={tmp_path / 'ok'}"], monkeypatch, capsys)
    assert ok == 0, err
    assert read_run(tmp_path / "ok").summary["governance"] == "mine with rural everywhere"
    for rel, text in [("hydra/launcher/evil.yaml", yaml.safe_dump({"_target_": "builtins.open"})),
                      ("governance/evil.yaml", yaml.safe_dump({"name": "x", "hydra": _writes(marker)})),
                      ("governance/evil.yaml", "# @package hydra.callbacks\nx:\n  _target_: builtins.open\n"),
                      ("governance/evil.yaml", "name: ${oc.env:SHOUWANG_SECRET}\n")]:
        evil = tmp_path / "evil"
        (evil / rel).parent.mkdir(parents=True, exist_ok=True)
        (evil / rel).write_text(text)
        code, err = _cli(["--config-dir", str(evil), "city=demo_county", "days=2",
                          f"hydra.run.dir={tmp_path / 'no'}"], monkeypatch, capsys)
        assert code == 2 and err.startswith(f"error: --config-dir: {rel}"), (rel, err)
        os.remove(evil / rel)
    assert not marker.exists() and not (tmp_path / "no").exists()
