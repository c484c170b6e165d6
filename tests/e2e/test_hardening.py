"""Bad values that would hang, exhaust memory or crash: refused up front in one line.

Every numeric key has a documented range (``sim/limits.py``); a run that would need more memory
than one run may use is refused with the figure it would need. Each case goes through the real
entry (``cli(main)``, as ``python -m sim`` does) and must leave no run folder behind; the Python
API raises :class:`~sim.errors.ShouwangError` with the same line.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pytest

import sim
from sim.checks import check
from sim.config import Config, GovernanceConfig, PhaseConfig, StaffFactors
from sim.errors import ShouwangError
from sim.limits import RANGES, numeric_keys, range_of

FAST = ["city=demo_county", "days=5"]

# (overrides, the message after "error: ") -- issue 12's list, then the memory budget
CASES = {
    "a billion days": (["days=1000000000"], "days: must be in [1, 100,000]"),
    "ten million mediators a village": (["staffing.mediators.village=1e7"],
                                        "staffing.mediators.village: must be in [0, 1,000]"),
    "a billion arrivals a day": (["validation=mmc", "validation.arrivals_per_day=1e9"],
                                 "validation.arrivals_per_day: must be in (0, 100,000]"),
    "a billion grid workers a grid": (["staffing.grid_workers_per_grid=1e9"],
                                      "staffing.grid_workers_per_grid: must be in [0, 100]"),
    "a billion disputes per 10k": (["disputes.rate_per_10k=1e9"], "disputes.rate_per_10k: must be in [0, 100,000]"),
    "trust mean zero": (["residents.trust_mean=0"], "residents.trust_mean: must be > 0, got 0.0"),
    "tension mean one": (["residents.tension_mean=1"], "residents.tension_mean: must be in (0, 1)"),
    "no residents per grid": (["city.residents_per_grid=0"], "city.residents_per_grid: must be >= 1, got 0.0"),
    "epidemic rate 1e308": (["shocks.epidemic.dispute_rate=1e308"],
                            "shocks.epidemic.dispute_rate: must be in [0, 100]"),
    "tension decays in no time": (["residents.tension_decay_days=0"],
                                  "residents.tension_decay_days: must be >= 1, got 0.0"),
    "awareness decays in no time": (["residents.awareness_decay_days=0"],
                                    "residents.awareness_decay_days: must be >= 1, got 0.0"),
    "growth 1e308": (["disputes.growth_per_day=1e308"], "disputes.growth_per_day: must be in [0, 10]"),
    "latitude 1000": (["city.lat=1000"], "city.lat: must be in [-90, 90]"),
    "warm-up beyond the run": (["validation=mmc", "days=10", "validation.warmup_days=20"],
                               "validation.warmup_days: must be at most days (10), got 20.0"),
    "a seed past 2**63": (["seed=99999999999999999999"], "seed: must be in [0, 9,223,372,036,854,775,807]"),
    "by-model factor 1e6": (["staffing.by_model.rural.grid_workers=1e6"],
                            "staffing.by_model.rural.grid_workers: must be in [0, 100]"),
    "memory: a huge county at a high rate": (
        ["city.population=50000000", "disputes.rate_per_10k=10000", "days=3650"],
        "disputes.rate_per_10k: the run would create about 550,000,000 disputes and need about"),
    "memory: staff in every centre at the cap": (
        ["city.population=50000000", "city.townships=10000", "city.villages_per_township=1000",
         "staffing.mediators.village=1000"],
        "staffing: the run would create about"),
    "validation: too many cases": (["validation=mmc", "validation.arrivals_per_day=10000", "days=20000"],
                                   "validation.arrivals_per_day: the run would pass about 200,000,000 cases"),
}


def _in_process(args: list[str], run_dir: Path, monkeypatch, capsys) -> tuple[int, str]:
    from sim.__main__ import main
    from sim.cli import cli

    for var in ("SHOUWANG_DEBUG", "HYDRA_FULL_ERROR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "argv", ["sim", *FAST, f"hydra.run.dir={run_dir}", *args])
    with pytest.raises(SystemExit) as stop:
        cli(main)
    return stop.value.code, capsys.readouterr().err


@pytest.mark.parametrize("case", list(CASES))
def test_refused_up_front_in_one_line_with_no_folder(case, tmp_path, monkeypatch, capsys):
    args, message = CASES[case]
    code, err = _in_process(args, tmp_path / "run", monkeypatch, capsys)
    assert code == 2, err
    assert err.splitlines() == [err.strip()] and err.startswith(f"error: {message}"), err
    assert not (tmp_path / "run").exists()  # refused before any folder was made


@pytest.mark.parametrize("case", ["trust mean zero", "epidemic rate 1e308", "memory: a huge county at a high rate"])
def test_python_api_raises_shouwang_error_with_the_same_line(case, tmp_path):
    args, message = CASES[case]
    with pytest.raises(ShouwangError) as err:
        sim.simulate(FAST + args, run_dir=tmp_path / "run")
    assert type(err.value) is ShouwangError and str(err.value).startswith(message)
    assert not (tmp_path / "run").exists()


def test_every_numeric_key_has_a_range():
    cfg = Config()
    cfg.staffing.by_banner["any"] = StaffFactors()  # mappings and lists hold their items' keys too
    cfg.timeline.phases.append(PhaseConfig())
    cfg.timeline.before_governance = GovernanceConfig()
    missing = sorted({pattern for pattern, _, _ in numeric_keys(cfg) if range_of(pattern) is None})
    assert not missing, f"numeric config keys without a range in sim/limits.py: {missing}"
    stale = sorted(set(RANGES) - {pattern for pattern, _, _ in numeric_keys(cfg)})
    assert not stale, f"ranges for keys that no longer exist: {stale}"


def test_every_range_has_an_upper_bound_and_a_meaning():
    for pattern, rule in RANGES.items():
        assert rule.hi < 1e19 and rule.lo < rule.hi and rule.why, pattern


def test_the_bounds_themselves_are_accepted():
    cfg = Config(days=100_000)
    cfg.staffing.mediators.city = 1000.0
    cfg.city.lat, cfg.city.lon = -90.0, 180.0
    cfg.disputes.rate_per_10k = 100_000.0
    cfg.residents.tension_decay_days = 1.0
    check(cfg)  # the budget is separate: ranges alone never refuse a bound


@pytest.mark.parametrize("edit, message", [
    (lambda lines: lines[:3] + [lines[3] + ",extra"] + lines[4:], "line 4: 19 fields, the header names 18"),
    (lambda lines: lines[:5] + [",".join(lines[5].split(",")[:4])] + lines[6:], "line 6: 4 fields, the header names 18"),
])
def test_a_city_table_with_a_wrong_field_count_names_file_and_line(edit, message, tmp_path, monkeypatch, capsys):
    text = resources.files("sim.world").joinpath("data/hulunbuir_banners.csv").read_text(encoding="utf-8")
    path = tmp_path / "city.csv"
    path.write_text("\n".join(edit(text.splitlines())) + "\n", encoding="utf-8")
    code, err = _in_process(["city=hulunbuir", f"city.table={path}"], tmp_path / "run", monkeypatch, capsys)
    assert code == 2 and err.strip() == f"error: city.table '{path}' {message}", err
    assert not (tmp_path / "run").exists()


def test_a_city_table_not_in_utf8_names_file_and_line(tmp_path, monkeypatch, capsys):
    text = resources.files("sim.world").joinpath("data/hulunbuir_banners.csv").read_text(encoding="utf-8")
    path = tmp_path / "city.csv"
    path.write_bytes(text.encode("gb18030"))  # a Chinese spreadsheet's default export
    first_chinese = next(i for i, line in enumerate(text.splitlines(), 1) if not line.isascii())
    code, err = _in_process(["city=hulunbuir", f"city.table={path}"], tmp_path / "run", monkeypatch, capsys)
    assert code == 2 and err.startswith(f"error: city.table '{path}' line {first_chinese}: not UTF-8 text"), err
