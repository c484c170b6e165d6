"""Faults: no half-written results. A run folder is complete exactly when summary.json exists;
a run killed (SIGKILL) or interrupted (Ctrl-C) never leaves one, and a killed sweep re-run
completes every job exactly once. Real processes, real signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.results import TABLES, begin_run, claim, read_run, write_run

ROOT = Path(__file__).resolve().parents[2]
LONG = ["city=demo_county", "days=6000"]  # ~10 s: long enough to be killed well inside the simulation


def _start(args: list[str], out: Path) -> subprocess.Popen:
    env = {**os.environ, "SHOUWANG_DEBUG": "", "HYDRA_FULL_ERROR": ""}
    return subprocess.Popen([sys.executable, "-m", "sim", *args], cwd=ROOT, env=env,
                            stdout=open(out, "w"), stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group: killpg reaches workers


def _wait_for(condition, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"exited early ({proc.returncode}): {proc.stderr.read()}"
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def test_failed_write_leaves_no_summary_and_no_temporaries(tmp_path):
    good = {n: pd.DataFrame({"x": [1, 2]}) for n in TABLES}
    write_run(tmp_path, {"ok": True}, good)
    assert read_run(tmp_path).summary == {"ok": True}
    broken = dict(good, daily=pd.DataFrame({"x": [1, "two"]}))  # pyarrow cannot write mixed types
    with pytest.raises(Exception, match="two|Conversion|convert"):
        write_run(tmp_path, {"ok": False}, broken)
    assert not (tmp_path / "summary.json").exists()  # the old, now stale summary is gone too
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.parquet" for n in TABLES)  # no temp files
    with pytest.raises(FileNotFoundError, match="not complete"):
        read_run(tmp_path)


def test_a_new_run_clears_what_a_killed_one_left(tmp_path):
    write_run(tmp_path, {"ok": True}, {n: pd.DataFrame({"x": [1]}) for n in TABLES})
    (tmp_path / f".daily.parquet.tmp-99999-{'0' * 32}").write_bytes(b"PAR1 half")  # killed while writing
    with claim(tmp_path):  # only a run that holds the folder cleans (no other run can be writing)
        begin_run(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".lock", *(f"{n}.parquet" for n in TABLES)])


@pytest.mark.slow
def test_sigkill_mid_run_leaves_no_summary(tmp_path):
    run = tmp_path / "run"
    sim.simulate(["city=demo_county", "days=5"], run_dir=run)  # an earlier, finished run in the folder
    proc = _start([*LONG, f"hydra.run.dir={run}"], tmp_path / "out.txt")
    _wait_for(lambda: not (run / "summary.json").exists(), proc)  # the new run voids it first
    time.sleep(0.8)
    assert proc.poll() is None  # still simulating
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL
    assert not (run / "summary.json").exists()
    with pytest.raises(FileNotFoundError):
        read_run(run)


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_in_one_line_with_status_130(tmp_path):
    run = tmp_path / "run"
    started = time.monotonic()
    proc = _start([*LONG, f"hydra.run.dir={run}"], tmp_path / "out.txt")
    _wait_for(lambda: (run / ".hydra" / "config.yaml").exists(), proc)
    # Hydra writes its config before the job imports the engine. A Ctrl-C that lands inside the
    # interpreter's import machinery is swallowed by Python itself (see test_run_folder's
    # _swallowed_by_python); this test is about a run that is simulating, so wait past the imports:
    # at least 2.5 s, longer on a loaded machine (the tests run on two processes, with their runs'
    # workers), where the imports slow down as the start up to Hydra's config did (~1.8 s quiet,
    # the engine's imports ~1.3 s after it).
    time.sleep(max(2.5, 1.5 * (time.monotonic() - started)))
    assert proc.poll() is None
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    assert proc.wait(30) == 130
    err = proc.stderr.read()
    assert err.splitlines() == [
        "interrupted: stopped before the end; the run folder has no summary.json (incomplete)"], err
    assert not (run / "summary.json").exists()


@pytest.mark.slow
def test_killed_joblib_sweep_rerun_completes_every_job_exactly_once(tmp_path):
    sweep = tmp_path / "sweep"
    # two short jobs (the same scenario twice: two worker processes) and a longer one;
    # joblib runs two at a time, so the third starts when one of the first two is done
    args = ["-m", "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={sweep}",
            "city=demo_county", "seed=4", "days=20,20,500"]
    first = _start(args, tmp_path / "first.txt")
    done = lambda n: (sweep / str(n) / "summary.json").exists()  # noqa: E731
    _wait_for(lambda: done(0) and done(1) and (sweep / "2" / ".hydra").exists(), first)
    assert not done(2)  # job 2 has just started
    os.killpg(first.pid, signal.SIGKILL)  # the cluster's time limit: parent and workers at once
    first.wait(30)
    assert not done(2)
    stamps = {n: (sweep / str(n) / "summary.json").stat().st_mtime_ns for n in (0, 1)}

    second = _start(args, tmp_path / "second.txt")
    assert second.wait(120) == 0, second.stderr.read()
    out = (tmp_path / "first.txt").read_text() + (tmp_path / "second.txt").read_text()
    for n in (0, 1, 2):
        assert done(n)
        assert out.count(f"run folder: {sweep / str(n)}\n") == 1, out  # each job ran exactly once
    second_out = (tmp_path / "second.txt").read_text()
    assert "skipped: job 0" in second_out and "skipped: job 1" in second_out
    assert {n: (sweep / str(n) / "summary.json").stat().st_mtime_ns for n in (0, 1)} == stamps
    # reproducible across joblib workers, and the resumed job is the run it would have been
    same0, same1 = read_run(sweep / "0"), read_run(sweep / "1")
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(same0, name), getattr(same1, name), obj=name)
    resumed = read_run(sweep / "2")
    fresh = sim.simulate(["city=demo_county", "seed=4", "days=500"], run_dir=tmp_path / "fresh")
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(resumed, name), getattr(fresh, name), obj=name)
    assert json.loads((sweep / "2" / "summary.json").read_text())["disputes"] == fresh.summary["disputes"]


def test_resumed_sweep_skips_only_runs_of_the_same_configuration(tmp_path, monkeypatch, capsys):
    from sim.__main__ import main
    from sim.cli import cli

    sweep = tmp_path / "sweep"

    def multirun(*args: str) -> str:
        monkeypatch.setattr(sys, "argv", ["sim", "-m", f"hydra.sweep.dir={sweep}", "city=demo_county",
                                          "scale=0.2", "days=3", *args])
        cli(main)
        return capsys.readouterr().out

    multirun("seed=1")  # (the same configuration again is skipped: see the killed sweep above)
    # same folder, another configuration: Hydra has rewritten .hydra/config.yaml, so the old
    # tables must not be kept under it
    other = multirun("seed=2")
    assert "skipped" not in other and "rerun: job 0" in other and "another configuration" in other
    assert read_run(sweep / "0").summary["seed"] == 2
