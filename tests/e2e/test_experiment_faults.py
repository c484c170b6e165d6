"""Faults around sweeps: cut-short and missing files, stale runs, one-run aggregation, the README's
examples in order, a killed parent, Ctrl-C. Each is injected for real (files truncated,
processes killed) on tiny runs of the demo county."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from experiments import staffing_whatif
from experiments.aggregate import aggregate
from sim.results import TABLES
from sim.sweep_progress import run_problem

ROOT = Path(__file__).resolve().parents[2]
DEMO = ["city=demo_county", "days=20"]
ENV = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")


def sim_multirun(sweep_dir: Path, *overrides: str) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-m", "sim", "-m", *DEMO, *overrides, f"hydra.sweep.dir={sweep_dir}"],
                         cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return out


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    """Four finished runs (seeds 0-3) of a plain ``python -m sim -m`` sweep."""
    root = tmp_path_factory.mktemp("faults") / "sweep"
    sim_multirun(root, "seed=0,1,2,3")
    return root


@pytest.fixture
def copy(sweep, tmp_path) -> Path:
    target = tmp_path / "sweep"
    shutil.copytree(sweep, target)
    return target


def test_every_finished_run_is_whole(sweep):
    assert [run_problem(sweep / str(n)) for n in range(4)] == [None] * 4
    assert set(TABLES) <= {p.stem for p in (sweep / "0").glob("*.parquet")}


@pytest.mark.slow
def test_broken_run_folders_are_skipped_and_listed_and_the_rest_aggregated(copy):
    with open(copy / "0" / "daily.parquet", "r+b") as fh:  # cut short, as by a full disk
        fh.truncate(fh.seek(0, 2) // 2)
    (copy / "1" / "banners.parquet").unlink()
    (copy / "2" / "summary.json").write_text('{"seed": 2, "disp')  # cut short mid-write
    tables = aggregate(copy)
    assert list(tables["runs"]["run"]) == ["3"]
    reasons = dict(zip(tables["skipped"]["run"], tables["skipped"]["reason"]))
    assert reasons["0"].startswith("daily.parquet: not a whole Parquet file")
    assert reasons["1"] == "banners.parquet: missing"
    assert reasons["2"] == "summary.json: cut short or not JSON"
    assert set(tables["aggregate"]["n"]) <= {0, 1}  # one run's figures, not four


@pytest.mark.slow
def test_a_summary_without_figures_or_broken_overrides_is_skipped_not_fatal(copy):
    (copy / "0" / "summary.json").write_text("{}")  # parses, but holds no figures
    (copy / "1" / ".hydra" / "overrides.yaml").write_text("[seed=1\n")  # not YAML
    tables = aggregate(copy)
    assert sorted(tables["runs"]["run"]) == ["2", "3"]
    reasons = dict(zip(tables["skipped"]["run"], tables["skipped"]["reason"]))
    assert reasons["0"].startswith("unreadable (KeyError")
    assert reasons["1"].startswith(".hydra/overrides.yaml: unreadable")


@pytest.mark.slow
def test_resume_reruns_a_job_whose_table_is_cut_short_or_missing(copy):
    before = {n: (copy / n / "summary.json").read_text() for n in "03"}
    with open(copy / "1" / "disputes.parquet", "r+b") as fh:
        fh.truncate(100)
    (copy / "2" / "daily.parquet").unlink()
    out = sim_multirun(copy, "seed=0,1,2,3")
    assert "skipped: job 0 is complete" in out.stdout and "skipped: job 3 is complete" in out.stdout
    assert "rerun: job 1:" in out.stdout and "disputes.parquet: not a whole Parquet file" in out.stdout
    assert "rerun: job 2:" in out.stdout and "daily.parquet: missing" in out.stdout
    assert [run_problem(copy / n) for n in "0123"] == [None] * 4
    assert {n: (copy / n / "summary.json").read_text() for n in "03"} == before


@pytest.mark.slow
def test_aggregating_one_run_folder_never_touches_its_files(copy):
    run = copy / "2"
    files = digest(run)
    tables = aggregate(run)
    assert len(tables["runs"]) == 1 and tables["runs"]["seed"].iloc[0] == "2"
    after = digest(run)
    assert {k: after[k] for k in files} == files  # every file of the run byte for byte
    assert set(after) - set(files) == {f"aggregate/{n}" for n in
                                       ("runs.parquet", "models.parquet", "banners.parquet",
                                        "aggregate.parquet", "skipped.csv")}


@pytest.mark.slow
def test_a_second_sweep_into_the_same_folder_is_not_mixed_with_the_first(copy):
    sim_multirun(copy, "seed=0,1", "days=10")  # other overrides, same hydra.sweep.dir
    tables = aggregate(copy)
    assert sorted(tables["runs"]["run"]) == ["0", "1"] and set(tables["runs"]["created"]) != set()
    assert set(json.loads((copy / n / "summary.json").read_text())["days"] for n in "01") == {10}
    reasons = dict(zip(tables["skipped"]["run"], tables["skipped"]["reason"]))
    assert sorted(reasons) == ["2", "3"] and "earlier sweep" in reasons["2"]


@pytest.mark.slow
def test_readme_staffing_examples_in_order_never_merge(tmp_path, monkeypatch, capsys):
    """The README's two staffing commands (tiny), run one after the other from one folder."""
    monkeypatch.chdir(tmp_path)
    first = staffing_whatif.main(["days=3", "seed=0,1", "staffing=hard_cuts,baseline_2022"])
    kept = first.read_text()
    second = staffing_whatif.main(["staffing=baseline_2022", "staffing.grid_workers_per_grid=1,2", "days=3", "seed=0"])
    assert first.parent != second.parent and first.parent.parent == second.parent.parent
    assert first.read_text() == kept  # the first report is untouched
    text = second.read_text()
    assert "nan" not in text.lower().replace("finance", "")
    assert "2 runs (2 settings, 1 replication each)" in text  # counted from this sweep's runs
    assert "hard_cuts" not in text.split("## Configuration")[1].split("```yaml")[0]
    assert str(tmp_path) not in text


def _children(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:  # gone, or a zombie not yet reaped
        return []


def _is_worker(p: psutil.Process) -> bool:
    try:
        return "popen_loky_posix" in " ".join(p.cmdline())
    except psutil.Error:
        return False


def _gone(procs: list[psutil.Process]) -> bool:
    alive = []
    for p in procs:
        try:
            if p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
        except psutil.NoSuchProcess:
            pass
    return not alive


@pytest.mark.slow
@pytest.mark.parametrize("when", ["jobs running", "workers starting"])
def test_killing_a_sweeps_parent_ends_its_joblib_workers_within_seconds(tmp_path, when):
    sweep = tmp_path / "sweep"
    parent = subprocess.Popen([sys.executable, "-m", "sim", "-m", "hydra/launcher=parallel", "hydra.launcher.n_jobs=2",
                               "city=demo_county", "days=5000", "seed=0,1,2,3", f"hydra.sweep.dir={sweep}"],
                              cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            workers = [p for p in _children(parent.pid) if _is_worker(p)]
            started = sum((sweep / str(n) / ".hydra" / "config.yaml").exists() for n in range(4))
            if (when == "workers starting" and len(workers) == 2) or (when == "jobs running" and started >= 2):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the sweep's workers did not start")
        if when == "jobs running":
            time.sleep(1.0)  # the jobs are inside the model's days
        children = _children(parent.pid)
        assert children, "no worker processes to watch"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        killed_at = time.monotonic()
        while time.monotonic() - killed_at < 8 and not _gone(children):
            time.sleep(0.1)
        assert _gone(children), [p.pid for p in children]
        assert time.monotonic() - killed_at < 5
    finally:  # whatever happened, leave no process of this test behind
        for p in [*children, *_children(parent.pid)]:
            try:
                p.kill()
            except psutil.Error:
                pass
        if parent.poll() is None:
            parent.kill()
            parent.wait()
    assert not list(sweep.glob("*/summary.json"))  # the killed jobs left no finished-looking folder


@pytest.mark.slow
@pytest.mark.parametrize("after", ["start", "runs"])
def test_ctrl_c_is_one_line_and_status_130(tmp_path, after):
    for attempt in range(3):
        out = tmp_path / f"sweep{attempt}"
        proc = subprocess.Popen([sys.executable, "-m", "experiments.staffing_whatif", "--out", str(out), "days=2000",
                                 "seed=0,1", "staffing=hard_cuts"], cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        if after == "start":
            time.sleep(0.5)  # still starting: importing, composing the jobs
        else:
            deadline = time.monotonic() + 120
            while not (out / "runs" / "0" / ".hydra" / "config.yaml").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        # A Ctrl-C that lands in a callback of the interpreter's own import machinery is reported
        # and dropped by Python itself (test_run_folder's _swallowed_by_python: out of the
        # project's reach); the sweep then runs to its end (exit 0). Seen once, three test processes on
        # two cores: try again rather than check nothing.
        swallowed = (proc.returncode == 0 and "Exception ignored" in err
                     and "<frozen importlib._bootstrap>" in err)
        if not swallowed:
            break
    assert proc.returncode == 130, err[-2000:]
    lines = [ln for ln in err.splitlines() if not ln.startswith("sweep:") and ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("interrupted: "), err[-2000:]
    if after == "runs":
        assert "--resume" in lines[0] and not (out / "runs" / "0" / "summary.json").exists()
