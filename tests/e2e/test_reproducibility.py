"""Reproducibility: the same seed gives identical tables in this process and in another one
(basic launcher), re-run from a run folder's .hydra/config.yaml (joblib workers: test_faults);
every run records the package version, resolved config, seed and git commit; randomness comes
only from generators spawned from the run's seed."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pytest
import yaml

import sim
from sim.hydra_conf import to_config
from sim.results import TABLES, read_run

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ["city=demo_county", "days=30"]


def _python_m_sim(args: list[str], hash_seed: str, cwd: Path = ROOT) -> None:
    # another PYTHONHASHSEED each time: set or dict-order dependence would show
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "SHOUWANG_DEBUG": "", "HYDRA_FULL_ERROR": ""}
    done = subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr


def _same(a: Path, b: Path) -> None:
    ra, rb = read_run(a), read_run(b)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(ra, name), getattr(rb, name), obj=name)
    # what the run computed; not when or from which working tree (others commit meanwhile)
    volatile = ("runtime_s", "git_commit", "git_dirty")
    assert {k: v for k, v in ra.summary.items() if k not in volatile} == \
        {k: v for k, v in rb.summary.items() if k not in volatile}


@pytest.mark.slow
def test_same_seed_same_tables_in_another_process_from_the_run_folder(tmp_path):
    here = sim.simulate(SCENARIO + ["seed=11"], run_dir=tmp_path / "here").run_dir
    # python -m sim (basic launcher) in another process, from another directory, with another
    # hash seed, given only the run folder's recorded config: "reproduce a run from its folder".
    # (Across joblib workers: tests/e2e/test_faults.py, the killed sweep.)
    _python_m_sim(["--config-path", str(here / ".hydra"), "--config-name", "config",
                   f"hydra.run.dir={tmp_path / 'again'}"], "2", cwd=tmp_path)
    _same(here, tmp_path / "again")
    other = sim.simulate(SCENARIO + ["seed=12"], run_dir=tmp_path / "other").run_dir
    assert not read_run(here).disputes.equals(read_run(other).disputes)


def test_run_records_version_config_seed_and_commit(tmp_path):
    run = sim.simulate(["city=demo_county", "days=5", "seed=7", "scale=0.5"], run_dir=tmp_path / "r")
    s = json.loads((run.run_dir / "summary.json").read_text())
    assert s["seed"] == 7 and s["scale"] == 0.5 and s["days"] == 5
    assert s["version"] == version("shouwang")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode == 0:  # a checkout: the commit is HEAD or (others commit meanwhile) before it
        assert len(s["git_commit"]) == 40
        ancestor = subprocess.run(["git", "merge-base", "--is-ancestor", s["git_commit"], "HEAD"], cwd=ROOT)
        assert ancestor.returncode == 0
        assert isinstance(s["git_dirty"], bool)
    assert len(s["config_sha256"]) == 64
    recorded = yaml.safe_load((run.run_dir / ".hydra" / "config.yaml").read_text())
    assert recorded["seed"] == 7 and recorded["days"] == 5 and recorded["city"]["name"] == "demo_county"
    from omegaconf import OmegaConf

    assert to_config(OmegaConf.create(recorded)) == to_config(sim.api.compose_config(
        ["city=demo_county", "days=5", "seed=7", "scale=0.5"]))  # the whole resolved config


# --- randomness only from the run's seed --------------------------------------------------

ALLOWED = {"default_rng", "SeedSequence", "Generator", "PCG64", "BitGenerator"}


def _global_randomness(path: Path) -> list[str]:
    """Uses of process-global random state: the stdlib ``random`` module, ``np.random.<fn>``."""
    bad = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "random" for a in node.names):
            bad.append(f"{path.name}:{node.lineno} import random")
        if isinstance(node, ast.ImportFrom) and node.module in ("random", "numpy.random"):
            bad.append(f"{path.name}:{node.lineno} from {node.module} import")
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "random" and isinstance(node.value.value, ast.Name)
                and node.value.value.id in ("np", "numpy") and node.attr not in ALLOWED):
            bad.append(f"{path.name}:{node.lineno} np.random.{node.attr}")
    return bad


def test_no_global_random_state_in_the_engine():
    files = [p for p in (ROOT / "sim").rglob("*.py") if "viz" not in p.parts]
    assert len(files) > 10
    assert [b for p in files for b in _global_randomness(p)] == []


def test_the_scan_catches_global_random_state(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import random\nimport numpy as np\nx = np.random.rand(3)\nrandom.shuffle([])\n")
    assert _global_randomness(bad) == ["bad.py:1 import random", "bad.py:3 np.random.rand"]


def test_streams_come_from_the_seed_alone(demo):
    from sim.model import ShouwangModel

    demo.days = 3
    a, b = ShouwangModel(demo), ShouwangModel(demo)
    for name in a.streams:
        assert a.streams[name].random() == b.streams[name].random(), name
    assert a.random.random() == b.random.random()  # Mesa's own stdlib stream, seeded from ours too
