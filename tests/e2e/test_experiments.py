"""Every experiment file composes from the real config and runs tiny through Hydra's multirun."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from experiments import compare_models, examples, model_effects, staffing_whatif
from experiments.aggregate import collect
from experiments.cli import BadInput
from experiments.runs import expand
from sim.hydra_conf import SCENARIOS, to_config

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENTS = sorted(p.stem for p in (SCENARIOS / "experiment").glob("*.yaml"))
TINY = {
    "staffing_whatif": ["days=5", "seed=0,1", "staffing=hard_cuts,baseline_2022"],
    "compare_models": ["days=5", "seed=0,1", "governance=classified,mining"],
    # scale 1: a sample of whole townships (scale < 1) need not hold the banners compared
    "compare_banners": ["days=2", "seed=0",
                        "+governance.banner_models={},{Chen Barag Banner: border, Manzhouli: border}"],
    "training": ["days=5", "seed=0"],
    "model_effects": ["city=demo_county", "scale=1", "days=5", "seed=0,1"],
}
COMMAND = {"staffing_whatif": staffing_whatif.main, "compare_models": compare_models.main,
           "compare_banners": compare_models.main, "training": staffing_whatif.main,
           "model_effects": model_effects.main}
FULL_JOBS = {"staffing_whatif": 25, "compare_models": 40, "compare_banners": 21, "training": 1, "model_effects": 20}


def jobs_of(name: str, overrides: list[str]) -> list[list[str]]:
    """The jobs Hydra's basic sweeper makes of an experiment file and a command line."""
    cfg = compose(config_name="config", overrides=[f"+experiment={name}"], return_hydra_config=True)
    params = OmegaConf.to_container(cfg.hydra.sweeper.params or OmegaConf.create({}))
    return expand([f"+experiment={name}", *(f"{k}={v}" for k, v in params.items()), *overrides])


def test_every_experiment_file_has_a_tiny_case():
    assert sorted(TINY) == EXPERIMENTS


def test_every_experiment_file_composes_into_checked_jobs():
    with initialize_config_dir(version_base="1.3", config_dir=str(SCENARIOS), job_name="experiments"):
        for name in EXPERIMENTS:
            jobs = jobs_of(name, [])
            assert len(jobs) == FULL_JOBS[name], name
            first, last = (to_config(compose(config_name="config", overrides=j)) for j in (jobs[0], jobs[-1]))
            assert first.days == last.days and first.city == last.city  # only the swept keys differ
            if name == "staffing_whatif":
                assert (first.staffing.name, last.staffing.name) == ("hard_cuts", "reinforced")
                assert first.disputes.rate_per_10k == 2000 and {j[-1] for j in jobs} == {f"seed={s}" for s in range(5)}
            if name == "compare_models":
                assert (first.governance.name, last.governance.name) == ("classified", "pre_reform")
            # the command line's sweep replaces the file's sweep of the same key
            assert len(jobs_of(name, TINY[name])) == {"training": 1, "compare_banners": 2}.get(name, 4)


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_runs_tiny(name, tmp_path, capsys):
    out = tmp_path / name
    published = tmp_path / "published"  # staffing_whatif: --publish copies the report and its figures there
    publish = ["--publish", str(published)] if name == "staffing_whatif" else []
    report = COMMAND[name](["--experiment", name, "--out", str(out), *publish, *TINY[name]])
    tables = collect(out)
    runs, seeds = tables["runs"], 1 if name in ("training", "compare_banners") else 2
    with initialize_config_dir(version_base="1.3", config_dir=str(SCENARIOS), job_name="experiments"):
        assert len(runs) == len(jobs_of(name, TINY[name])) and runs["seed"].nunique() == seeds
    assert len(tables["skipped"]) == 0
    text = report.read_text()
    for section in ("## Command", "## Configuration", "## Reading", "## Results"):
        assert section in text
    assert f"{seeds} replication" in text and str(tmp_path) not in text  # counted; no absolute path
    assert (out / f"{name}.png").stat().st_size > 10_000
    if name == "compare_banners":
        assert "Chen Barag Banner" in text and "## By banner" in text
    if name == "compare_models":  # the README's figure, redrawn from the sweep
        made = examples.main(["--models", str(out), "--out", str(tmp_path / "figures")])
        assert [p.name for p in made] == ["compare_models.png"] and made[0].stat().st_size > 10_000
    if name != "staffing_whatif":
        assert not published.exists()
        return
    assert sorted(p.name for p in published.iterdir()) == sorted(  # the report and its figures, nothing else
        ["report.md", "staffing_whatif.png", "staffing_whatif_by_model.png", "staffing_whatif_vs_reference.png"])
    assert (published / "report.md").read_text() == text
    # --resume skips the finished jobs (same fingerprint) and leaves their files alone
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("runs/*/*.parquet")}
    capsys.readouterr()
    COMMAND[name](["--experiment", name, "--out", str(out), "--resume", *TINY[name]])
    assert capsys.readouterr().out.count("skipped: job") == len(runs)
    assert stamps == {p: p.stat().st_mtime_ns for p in out.glob("runs/*/*.parquet")}


@pytest.mark.slow
def test_hydra_multirun_of_an_experiment_is_read_by_the_report(tmp_path):
    cmd = [sys.executable, "-m", "sim", "-m", "+experiment=staffing_whatif", "days=3", "seed=0",
           "staffing=hard_cuts,reinforced", f"hydra.sweep.dir={tmp_path}"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    report = staffing_whatif.main(["--from", str(tmp_path)])
    runs = collect(tmp_path)["runs"].set_index("staffing")
    assert sorted(runs.index) == ["hard_cuts", "reinforced"]
    assert runs.loc["reinforced", "grid_workers"] > runs.loc["hard_cuts", "grid_workers"]
    assert "python -m sim -m +experiment=staffing_whatif days=3 seed=0" in report.read_text()
    with pytest.raises(BadInput, match="is a sweep of experiment 'staffing_whatif', not 'compare_models'"):
        compare_models.main(["--from", str(tmp_path)])


@pytest.mark.slow
def test_a_job_of_another_configuration_is_run_again(tmp_path, capsys):
    args = ["--out", str(tmp_path), "days=2", "seed=0", "staffing=hard_cuts"]
    staffing_whatif.main(args)
    summary = tmp_path / "runs" / "0" / "summary.json"
    data = json.loads(summary.read_text())
    data["config_sha256"] = "0" * 64  # as if a default had changed since the run
    summary.write_text(json.dumps(data))
    capsys.readouterr()
    staffing_whatif.main([*args[:2], "--resume", *args[2:]])
    assert "rerun: job 0" in capsys.readouterr().out
    assert json.loads(summary.read_text())["config_sha256"] != "0" * 64
