"""Sweeps: a joblib multirun leaves complete run folders, re-runs resume, submitit runs a job."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.sweep_progress import sweep_size

ROOT = Path(__file__).resolve().parents[2]
DEMO = ["city=demo_county", "days=20"]
CONTRACT = ("disputes.parquet", "daily.parquet", "banners.parquet", "summary.json", ".hydra/config.yaml")


def multirun(*overrides: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-m", "sim", "-m", *overrides], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def joblib_sweep(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    sweep_dir = tmp_path_factory.mktemp("joblib") / "sweep"
    out = multirun(*DEMO, "seed=0,1,2,3", "hydra/launcher=parallel", "hydra.launcher.n_jobs=2",
                   f"hydra.sweep.dir={sweep_dir}")
    return sweep_dir, out


@pytest.mark.slow
def test_joblib_multirun_of_4_jobs_leaves_4_complete_run_folders(joblib_sweep):
    sweep_dir, out = joblib_sweep
    jobs = sorted(p for p in sweep_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert [p.name for p in jobs] == ["0", "1", "2", "3"]
    seeds = set()
    for job in jobs:
        for name in CONTRACT:
            assert (job / name).exists(), f"{job.name}/{name}"
        summary = json.loads((job / "summary.json").read_text())
        assert summary["days"] == 20 and summary["population"] == 30000
        seeds.add(summary["seed"])
    assert seeds == {0, 1, 2, 3}
    assert "4/4" in out.stderr  # the jobs progress bar reached the end


@pytest.mark.slow
def test_rerun_skips_complete_jobs_and_reruns_an_interrupted_one(joblib_sweep):
    sweep_dir, _ = joblib_sweep
    before = {n: (sweep_dir / n / "summary.json").read_text() for n in "013"}
    stamps = {n: (sweep_dir / n / "summary.json").stat().st_mtime_ns for n in "013"}
    (sweep_dir / "2" / "summary.json").unlink()  # job 2 was interrupted: tables, no summary
    out = multirun(*DEMO, "seed=0,1,2,3", f"hydra.sweep.dir={sweep_dir}")
    for n in "013":
        assert f"skipped: job {n} is complete" in out.stdout
        assert (sweep_dir / n / "summary.json").stat().st_mtime_ns == stamps[n]
        assert (sweep_dir / n / "summary.json").read_text() == before[n]
    assert "skipped: job 2" not in out.stdout
    redone = json.loads((sweep_dir / "2" / "summary.json").read_text())
    assert redone["seed"] == 2 and redone["days"] == 20


@pytest.mark.slow
def test_submitit_local_executor_runs_a_tiny_job(tmp_path):
    sweep_dir = tmp_path / "submitit"
    multirun("city=demo_county", "days=5", "seed=7", "hydra/launcher=slurm_local",
             f"hydra.sweep.dir={sweep_dir}")
    summary = json.loads((sweep_dir / "0" / "summary.json").read_text())
    assert summary["seed"] == 7 and summary["days"] == 5
    assert any((sweep_dir / ".submitit").iterdir())  # submitit's own job folder and logs


def test_sweep_size_counts_the_basic_sweepers_jobs():
    assert sweep_size(["seed=0,1,2", "scale=0.1,0.2", "days=5"]) == 6
    assert sweep_size(["seed=range(0,8)"]) == 8
    assert sweep_size(["days=5"]) == 1
    # an experiment's own sweep (hydra.sweeper.params), a key on the command line replacing it
    assert sweep_size(["+experiment=x"], {"staffing": "a,b,c", "seed": "range(0,5)"}) == 15
    assert sweep_size(["seed=0,1"], {"staffing": "a,b,c", "seed": "range(0,5)"}) == 6


@pytest.mark.parametrize("launcher, target", [
    ("slurm", "SlurmLauncher"), ("slurm_local", "LocalLauncher"), ("parallel", "JoblibLauncher")])
def test_launcher_configs_compose(launcher, target):
    from hydra import compose, initialize_config_dir

    from sim.hydra_conf import SCENARIOS

    with initialize_config_dir(version_base="1.3", config_dir=str(SCENARIOS), job_name="launchers"):
        cfg = compose(config_name="config", overrides=[f"hydra/launcher={launcher}"],
                      return_hydra_config=True)
    assert cfg.hydra.launcher._target_.endswith(target)
    if launcher != "parallel":
        assert cfg.hydra.launcher.cpus_per_task == 1 and cfg.hydra.launcher.mem_gb == 2
    else:
        assert cfg.hydra.launcher.n_jobs == -1
