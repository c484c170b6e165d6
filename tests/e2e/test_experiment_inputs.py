"""Bad input to ``python -m experiments.*``: one ``error:`` line, exit 2, nothing written; ``--help``
everywhere, and it never starts a job."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from experiments.cli import BadInput, load_settings, run_main

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ["staffing_whatif", "compare_models", "aggregate", "examples", "animate", "calibrate.history_match",
         "calibrate.posterior", "sensitivity.run"]

# (module, arguments, words the one line must hold); {file}, {full} and {empty} are made below
BAD = [
    ("staffing_whatif", ["dayz=3"], "error: dayz: unknown key (not in the config); did you mean 'days'?"),
    ("staffing_whatif", ["days=[1"], "error: days: malformed override"),
    ("staffing_whatif", ["days=0"], "error: days: must be > 0, got 0"),
    ("staffing_whatif", ["staffing=nope"], "error: staffing: unknown preset 'nope'"),
    ("staffing_whatif", ["staffing=baseline_2022", "staffing.grid_workers_per_grid=1,nan"],
     "error: staffing.grid_workers_per_grid: must be a finite number, got nan"),
    ("staffing_whatif", ["--experiment", "nope"], "error: --experiment: unknown experiment (choose from"),
    ("staffing_whatif", ["--experiment", "../../../etc/x"], "error: --experiment: unknown experiment"),
    ("compare_models", ["--experiment", "compare_banners", "governance=nope"], "error: governance: unknown preset"),
    ("staffing_whatif", ["--jobs", "0"], "error: command line: argument --jobs: must be >= 1 (processes) or -1"),
    ("staffing_whatif", ["--jobs", "-3"], "argument --jobs: must be >= 1 (processes) or -1 (all cores), got -3"),
    ("staffing_whatif", ["--jobs", "two"], "argument --jobs: must be a whole number of processes, got 'two'"),
    ("staffing_whatif", ["--out", "{file}"], "error: --out: is a file, not a folder"),
    ("staffing_whatif", ["--out", "{full}"], "error: --out: folder exists and is not empty (add --resume"),
    ("staffing_whatif", ["--out", str(ROOT / "results" / "staffing_whatif")], "error: --out: holds files git tracks"),
    ("staffing_whatif", ["--resume", "--out", "{missing}"], "error: --out: nothing to resume: no such folder"),
    ("staffing_whatif", ["--resume", "days=2"], "error: --resume: no earlier sweep of staffing_whatif"),
    ("staffing_whatif", ["hydra.sweep.dir=x"], "error: hydra.sweep.dir: the experiment commands choose"),
    ("staffing_whatif", ["--from", "{missing}"], "error: --from: no such folder"),
    ("staffing_whatif", ["--from", "{file}"], "error: --from: is a file, not a folder"),
    ("staffing_whatif", ["--from", "{empty}"], "error: sweep folder: no finished run folder found"),
    ("staffing_whatif", ["--publish", "{file}"], "error: --publish: is a file, not a folder"),
    ("staffing_whatif", ["--bogus"], "error: command line: unrecognized arguments: --bogus"),
    ("aggregate", [], "error: command line: the following arguments are required: sweep_dir"),
    ("aggregate", ["{empty}"], "error: sweep folder: no finished run folder found"),
    ("aggregate", ["{missing}"], "error: sweep folder: no such folder"),
    ("aggregate", ["{file}"], "error: sweep folder: not a folder"),
    ("examples", [], "error: command line: name at least one sweep"),
    ("examples", ["--staffing", "{empty}"], "error: --staffing: not an aggregated sweep folder"),
    ("animate", ["{empty}"], "error: run_dir: not a finished run folder (no summary.json"),
    ("animate", ["{empty}", "--fps", "0"], "error: --fps: must be >= 1, got 0"),
    ("calibrate.history_match", ["--jobs", "0"], "argument --jobs: must be >= 1 (processes) or -1"),
    ("calibrate.history_match", ["--scale", "2"], "error: --scale: must be in (0, 1], got 2.0"),
    ("calibrate.history_match", ["--out", "{full}"], "error: --out: folder exists and is not empty"),
    ("calibrate.history_match", ["--within", "{empty}"], "error: --within: is not a history-matching folder"),
    ("calibrate.history_match", ["--spread-seeds", "0"], "error: --spread-seeds: must be >= 1, got 0"),
    ("calibrate.posterior", [], "error: command: must be confirm or scenario"),
    ("calibrate.posterior", ["fit"], "error: command: must be confirm or scenario, got 'fit'"),
    ("calibrate.posterior", ["confirm", "--waves", "{empty}"], "error: --waves: is not a history-matching folder"),
    ("calibrate.posterior", ["confirm", "--waves", "{empty}", "--seeds", "0"], "error: --seeds: must be >= 1, got 0"),
    ("calibrate.posterior", ["confirm", "--waves", "{empty}", "--scale", "0"], "error: --scale: must be in (0, 1]"),
    ("calibrate.posterior", ["scenario", "--draws-file", "{missing}"], "error: --draws-file: no such file"),
    ("calibrate.posterior", ["scenario", "--draws-file", "{file}"], "error: --draws-file: lacks the columns"),
    ("sensitivity.run", ["scal=0.1"], "error: scal: unknown key"),
    ("sensitivity.run", ["keep=[nope]"], "error: keep: names no parameter of config.yaml: nope"),
    ("sensitivity.run", ["sobol.n=3"], "error: sobol.n: must be a power of 2 (>= 2), got 3"),
    ("sensitivity.run", ["morris.levels=3"], "error: morris.levels: must be an even number >= 2, got 3"),
    ("sensitivity.run", ["outputs=5"], "error: outputs: is a section: set its fields"),
    ("sensitivity.run", ["--out", "{full}"], "error: --out: folder exists and is not empty"),
]


def call(module: str, argv: list[str]) -> int:
    main = importlib.import_module(f"experiments.{module}").main
    with pytest.raises(SystemExit) as exit_:
        run_main(main, argv)
        pytest.fail("no exit")  # a refused input never returns normally
    return exit_.value.code


@pytest.mark.parametrize(("module", "argv", "words"), BAD, ids=[f"{m}:{' '.join(a)}" for m, a, _ in BAD])
def test_bad_input_is_one_line_and_status_2_and_writes_nothing(module, argv, words, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "a_file").write_text("x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old.txt").write_text("a user's file")
    (tmp_path / "empty").mkdir()
    paths = {"{file}": tmp_path / "a_file", "{full}": tmp_path / "full", "{empty}": tmp_path / "empty",
             "{missing}": tmp_path / "missing"}
    argv = [str(paths.get(a, a)) for a in argv]
    monkeypatch.chdir(work)  # fresh folders would appear here
    assert call(module, argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and words in err[0], err
    assert "Traceback" not in err[0]
    assert list(work.iterdir()) == []  # no fresh folder, nothing half-written
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["old.txt"]
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("module", ENTRY)
def test_help_prints_usage_and_starts_nothing(module, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert call(module, ["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m experiments.{module}") and "--help" in out
    assert list(tmp_path.iterdir()) == []  # no folder, no run


def test_a_settings_file_that_is_not_yaml_is_named_with_its_line(tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("scale: 0.2\nseeds: [0, 1\nn_jobs: 2\n")
    with pytest.raises(BadInput, match=r"settings file config.yaml, line \d+: YAML refused"):
        load_settings(bad, [])


def test_an_internal_error_is_one_line_with_status_1(capsys):
    def broken(argv):
        raise RuntimeError("boom\nsecond line")

    with pytest.raises(SystemExit) as exit_:
        run_main(broken, [])
    assert exit_.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: internal error: RuntimeError: boom (set SHOUWANG_DEBUG=1 for the full traceback)"]
