"""Where the next staff should go: the allocation rule, the paired gains, and the whole command
on tiny real runs (search, confirmation, tables, map, report, resume, bad input)."""

from __future__ import annotations

import re

import numpy as np
import openpyxl
import pandas as pd
import pytest
from scipy import stats

from experiments.allocate import Settings, Study, allocation, main, paired_gain
from sim.world.apportion import apportion


def test_allocation_with_single_people_is_the_largest_remainder_method():
    w = np.array([5.0, 1.0, 1.0, 3.0, 0.0, 2.5])
    got = allocation(500, w, np.ones(6, np.int64))
    assert got.sum() == 500
    assert list(got) == list(apportion(500, w))  # the project's own largest-remainder rule
    assert got[4] == 0


def test_allocation_in_blocks_spends_what_fits_and_no_more():
    blocks = np.array([9, 19, 7, 16, 10])  # e.g. township centres per banner: one more mediator each
    for people in (5, 50, 61, 200):
        got = allocation(people, np.array([1.0, 0.2, 3.0, 0.0, 1.0]), blocks)
        assert (got % blocks == 0).all()
        assert got.sum() <= people
        assert people - got.sum() < blocks.min() or people - got.sum() < blocks[got < people].min()
    assert allocation(50, np.zeros(5), blocks).sum() > 0  # all-zero weights: spread evenly


def test_paired_gain_is_scipys_paired_t_interval():
    rng = np.random.default_rng(5)
    base = rng.normal(10, 2, 8)
    other = base - 0.5 + rng.normal(0, 0.3, 8)
    g = paired_gain(base, other)
    ci = stats.ttest_rel(base, other).confidence_interval(0.95)
    assert g["gain"] == pytest.approx(np.mean(base - other))
    assert (g["ci_low"], g["ci_high"]) == pytest.approx((ci.low, ci.high))
    assert g["n"] == 8


# --tiny's sizes but 2 confirmation seeds (its least; --tiny has 3): 4 fewer full-city runs, and
# still two seeds for the common-random-numbers check and a paired interval for every gain
TINY = ["--tiny", "--days", "10", "--people", "300", "--jobs", "2", "--confirm-seeds", "2",
        "disputes.rate_per_10k=3000", "staffing.grid_workers_per_grid=1"]


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    out = tmp_path_factory.mktemp("allocate")
    assert main([*TINY, "--out", str(out)]) == 0
    return out


@pytest.mark.slow
def test_the_command_writes_the_allocation_its_gains_map_and_report(study):
    table = pd.read_csv(study / "allocation.csv", dtype={"code": str})
    assert len(table) == 14 and table["code"].str.startswith("1507").all()
    for name in ("recommended", "spread evenly", "proportional to population"):
        assert table[f"extra {name}"].sum() == 300
    # proportional really follows the residents
    share = table["extra proportional to population"] / 300
    assert np.allclose(share, table["population"] / table["population"].sum(), atol=1 / 300)
    book = openpyxl.load_workbook(study / "allocate.xlsx", read_only=True)
    assert book.sheetnames == ["allocation", "gains", "runs", "trials"]
    assert (study / "allocation.png").stat().st_size > 20_000
    runs = pd.read_parquet(study / "runs.parquet")
    confirm = runs[runs["phase"] == "confirm"]
    assert sorted(confirm["allocation"].unique()) == ["baseline", "proportional to population", "recommended",
                                                      "spread evenly"]
    assert set(confirm["seed"]) == {1000, 1001} and set(runs[runs["phase"] == "search"]["seed"]) == {0}
    # common random numbers: on one seed every allocation has the same city and, until staffing
    # feeds back into residents' tension, the same disputes arising day by day
    for seed, rows in confirm.groupby("seed"):
        pops = [pd.read_parquet(f"{d}/banners.parquet")["population"].tolist() for d in rows["run_dir"]]
        assert all(p == pops[0] for p in pops)
        first_days = [pd.read_parquet(f"{d}/daily.parquet").query("tier == 'system' and day < 1")["arrivals"].tolist()
                      for d in rows["run_dir"]]
        assert sum(first_days[0]) > 0 and all(a == first_days[0] for a in first_days), seed


@pytest.mark.slow
def test_the_report_states_the_gains_it_computed(study):
    gains = pd.read_csv(study / "gains.csv").set_index(["versus", "measure"])
    text = (study / "report.md").read_text()
    for other in ("baseline", "spread evenly", "proportional to population"):
        row = gains.loc[(other, "objective")]
        line = next(ln for ln in text.splitlines() if ln.startswith(f"- Against **{other}**"))
        stated = re.search(r"\[([+-][\d.e+-]+), ([+-][\d.e+-]+)\]", line)
        assert stated, line
        assert float(stated.group(1)) == pytest.approx(row["ci_low"], rel=5.1e-4, abs=1e-9)
        assert float(stated.group(2)) == pytest.approx(row["ci_high"], rel=5.1e-4, abs=1e-9)
        if row["ci_low"] > 0:
            assert "better, the 95% CI excludes zero" in line
        elif row["ci_high"] < 0:
            assert "worse, the 95% CI excludes zero" in line
        else:
            assert "not distinguishable" in line
    assert "![allocation map](allocation.png)" in text


@pytest.mark.slow
def test_a_second_run_resumes_without_simulating_again(study, capsys):
    before = {p: p.stat().st_mtime_ns for p in (study / "runs").rglob("summary.json")}
    assert main([*TINY, "--out", str(study)]) == 0
    after = {p: p.stat().st_mtime_ns for p in (study / "runs").rglob("summary.json")}
    assert after == before  # every run was found complete and reused
    trials = pd.read_csv(study / "trials.csv")
    assert len(trials) == 4  # the study's 4 trials, not 4 more


@pytest.mark.slow
def test_township_mediators_move_in_whole_people_per_centre(tmp_path):
    """The census counts each banner's township centres; an allocation in whole centres is what
    the run really adds, person for person (full scale, one-day runs)."""
    study = Study(Settings(kind="township_mediators", people=40, days=1, search_seeds=1), tmp_path, jobs=2)
    b = study.city.banners
    assert b["block"].sum() == 141  # the article's 141 township centres
    extra = allocation(40, b["population"].to_numpy(float), b["block"].to_numpy())
    rows = study.run([("baseline", "t", np.zeros(14, np.int64), 0), ("plan", "t", extra, 0)])
    base, plan = (pd.read_parquet(f"{r['run_dir']}/banners.parquet")["mediators"].to_numpy() for r in rows)
    assert extra.sum() > 0 and np.array_equal(plan - base, extra)


@pytest.mark.parametrize("argv, message", [
    (["--people", "0"], "error: --people: must be >= 1, got 0"),
    (["--kind", "cooks"], "error: --kind: unknown kind 'cooks' (choose from grid_workers, village_mediators, "
                          "township_mediators, banner_mediators, police_officers)"),
    (["--kind", "township_mediators", "--scale", "0.5"],
     "error: --scale: township mediators come in whole people per centre; run at scale 1, got 0.5"),
    (["--objective", "happiness=1"], "error: --objective: unknown measure 'happiness' (choose from "
     "callouts_per_10k, conversions_per_10k, settlement_days or a preset: callouts+conversions, settlement, mix), "
     "got 'happiness=1'"),
    (["--people", "abc"], "error: argument --people: invalid int value: 'abc'"),
    (["--yuan", "1000"], "error: --yuan: pays for no grid workers at 42,000 yuan a year each, got 1000"),
    (["--tiny", "mediation.escalate=1.5"], "error: mediation.escalate: a probability must be in [0, 1], got 1.5"),
    (["--tiny", "dayz=3"], "error: dayz: unknown key (not in the config); did you mean 'days'?, got dayz=3"),
    (["--tiny", "days=30"], "error: days: set by --days, not as an override, got days=30"),
])
def test_bad_input_is_one_line_and_status_2(argv, message, tmp_path, capsys):
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [message]
    assert not (tmp_path / "out" / "report.md").exists()


def test_an_output_folder_of_another_study_is_refused(tmp_path, capsys):
    (tmp_path / "settings.json").write_text('{"kind": "police_officers", "people": 12}')
    assert main(["--tiny", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --out: holds a study of other settings")
