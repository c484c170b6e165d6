"""Every experiment config runs tiny into tmp_path and leaves tables and a report (issue 3)."""

import subprocess
import sys
from pathlib import Path

import pytest

from experiments.aggregate import aggregate, collect
from experiments.compare_models import BANNERS
from experiments.compare_models import SPEC as COMPARE
from experiments.staffing_whatif import SPEC as STAFFING
from experiments.sweep import plan, run_sweep
from experiments.sweep_report import ReportSpec, write

ROOT = Path(__file__).resolve().parents[2]
TINY = {
    "staffing_whatif": ["days=5", "seed=0,1", "staffing=hard_cuts,baseline_2022"],
    "compare_models": ["days=5", "seed=0,1", "governance=classified,mining"],
    "compare_banners": ["days=3", "scale=0.02", "seed=0,1",
                        "+governance.banner_models={},{Chen Barag Banner: border, Manzhouli: border}"],
}
SPECS = {"staffing_whatif": STAFFING, "compare_models": COMPARE,
         "compare_banners": ReportSpec(**{**COMPARE.__dict__, "experiment": "compare_banners",
                                          "reference_hint": "own", "banners": BANNERS})}


EXPERIMENTS = sorted(TINY)  # this experiments (other issues add their own configs)


def test_every_experiment_has_a_tiny_case():
    for name in TINY:
        assert (ROOT / "scenarios" / "experiment" / f"{name}.yaml").exists(), name
    jobs, _, _ = plan("staffing_whatif", [])
    assert len(jobs) == 25  # five staffing presets x five seeds by default


@pytest.mark.slow
@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_experiment_runs_tiny(experiment, tmp_path):
    root = run_sweep(experiment, TINY[experiment], out=tmp_path / experiment, log=lambda *_: None)
    tables = aggregate(root)
    runs = tables["runs"]
    assert len(runs) == len(plan(experiment, TINY[experiment])[0]) and runs["seed"].nunique() == 2
    agg = tables["aggregate"]
    core = agg[agg["metric"].isin(["created", "resolved", "police_incidents", "backlog", "detected_by_grid_worker"])]
    assert core["metric"].nunique() == 5 and set(core["n"]) == {2} and core["ci_low"].le(core["mean"]).all()
    report = write(root, SPECS[experiment], f"python -m experiments.{experiment} ...", [])
    text = report.read_text()
    for section in ("## Command", "## Configuration", "## Reading", "## Results"):
        assert section in text
    assert (root / f"{experiment}.png").stat().st_size > 10_000
    assert (root / f"{experiment}_vs_reference.png").exists()
    if experiment == "compare_banners":
        assert "Chen Barag Banner" in text and "## By banner" in text
    # a re-run skips the finished jobs (resume) and leaves the same results
    before = (root / "runs" / "0" / "summary.json").stat().st_mtime_ns
    run_sweep(experiment, TINY[experiment], out=tmp_path / experiment, log=lambda *_: None)
    assert (root / "runs" / "0" / "summary.json").stat().st_mtime_ns == before


@pytest.mark.slow
def test_hydra_multirun_of_an_experiment_is_read_by_the_aggregator(tmp_path):
    cmd = [sys.executable, "-m", "sim", "-m", "+experiment=staffing_whatif", "days=3", "seed=0",
           "staffing=hard_cuts,reinforced", f"hydra.sweep.dir={tmp_path}"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    runs = collect(tmp_path)["runs"]
    assert sorted(runs["staffing"]) == ["hard_cuts", "reinforced"]
    assert (runs.set_index("staffing").loc["reinforced", "grid_workers"]
            > runs.set_index("staffing").loc["hard_cuts", "grid_workers"])


def test_an_unknown_banner_in_a_sweep_stops_with_one_line(tmp_path):
    from sim.errors import ShouwangError

    with pytest.raises(ShouwangError, match=r"unknown banner 'Atlantis'"):
        run_sweep("compare_banners", ["days=1", "scale=0.01", "seed=0", "+governance.banner_models={Atlantis: urban}"],
                  out=tmp_path, log=lambda *_: None)


def test_a_changed_configuration_is_run_again(tmp_path):
    args = ["days=2", "seed=0", "staffing=hard_cuts"]
    root = run_sweep("staffing_whatif", args, out=tmp_path, log=lambda *_: None)
    first = (root / "runs" / "0" / "summary.json").stat().st_mtime_ns
    config = root / "runs" / "0" / ".hydra" / "config.yaml"
    config.write_text(config.read_text().replace("days: 2", "days: 3"))  # as if a default had changed
    run_sweep("staffing_whatif", args, out=tmp_path, log=lambda *_: None)
    assert (root / "runs" / "0" / "summary.json").stat().st_mtime_ns != first
    assert "days: 2" in config.read_text()
