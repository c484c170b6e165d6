"""Maps of Hulunbuir: the shipped outlines against independent figures, the choropleth's
colours, the map command on a tiny real run, and the CSV/xlsx tables beside it."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from PIL import Image

from experiments.map import banner_measures, difference, main, seats
from experiments.tables_io import sheet_name, write_tables
from sim.api import simulate
from sim.viz.maps import OFFICIAL_AREA_KM2, area_km2, banner_outlines, choropleth, points
from sim.world.table import load_banner_table


@pytest.fixture(scope="module")
def outlines():
    return banner_outlines()


def test_fourteen_outlines_match_the_banner_table(outlines):
    table = load_banner_table("hulunbuir")
    assert len(outlines) == 14
    assert sorted(outlines["code"]) == sorted(table["code"].astype(str))
    assert outlines.geometry.is_valid.all()


def test_city_area_is_the_official_figure_within_5_percent(outlines):
    area = outlines.union_all().area / 1e6  # outlines come in the Albers equal-area projection
    assert abs(area - OFFICIAL_AREA_KM2) / OFFICIAL_AREA_KM2 < 0.05, area
    # the simplified banners still tile the city: no overlaps, no slivers between neighbours
    assert area_km2(outlines).sum() == pytest.approx(area, rel=1e-4)


def test_large_banners_have_their_tabled_areas(outlines):
    """Outline areas (equal-area projection) against the table's published areas, matched by code:
    a swapped code would put e.g. Oroqen's 54,688 km2 on a 10,000 km2 outline."""
    table = load_banner_table("hulunbuir").set_index(load_banner_table("hulunbuir")["code"].astype(str))
    areas = area_km2(outlines).set_axis(outlines["code"])
    large = table.index[table["area_km2"] > 5000]
    assert len(large) == 11
    ratio = areas[large] / table.loc[large, "area_km2"]
    assert ratio.between(0.9, 1.1).all(), ratio.round(3).to_dict()


def test_every_banner_seat_lies_inside_its_own_outline(outlines):
    lat, lon = seats()  # from the table's sources (Wikipedia coordinates), not from the outlines
    inside = [geom.contains(pt) for geom, pt in zip(outlines.geometry, points(lat, lon))]
    assert all(inside), dict(zip(outlines["name_en"], inside))


def test_choropleth_colours_follow_the_values(outlines):
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    values = pd.Series(np.arange(14, dtype=float), index=outlines["code"])
    values.iloc[3] = np.nan
    choropleth(ax, outlines, values, "t", label="x", cmap="viridis", annotate=False)
    faces = [c.get_facecolor()[0] for c in ax.collections]
    assert len(faces) == 14
    import matplotlib as mpl

    cm = mpl.colormaps["viridis"]
    assert np.allclose(faces[0][:3], cm(0.0)[:3]) and np.allclose(faces[13][:3], cm(1.0)[:3])
    assert np.allclose(faces[3][:3], (0.85, 0.85, 0.85))  # no value: grey, not the scale's bottom


@pytest.fixture(scope="module")
def tiny_city(tmp_path_factory):
    """Two seeds of Hulunbuir for 20 days, under two grid-worker levels (the whole city: below
    scale 1 each seed simulates its own sample of townships, and banners would differ by seed)."""
    root = tmp_path_factory.mktemp("city")
    for level in ("3.4", "1"):
        for seed in (0, 1):
            simulate(["days=20", f"seed={seed}", f"staffing.grid_workers_per_grid={level}"],
                     run_dir=root / f"gw{level}" / f"s{seed}")
    return root


@pytest.mark.slow
def test_map_command_draws_the_run_and_writes_its_tables(tiny_city, tmp_path):
    run = tiny_city / "gw3.4" / "s0"
    assert main([str(run), "--vs", str(tiny_city / "gw1" / "s0"), "--out", str(tmp_path)]) == 0
    img = Image.open(tmp_path / "map.png")
    assert img.size[0] > 1000 and img.size[1] > 700
    pixels = np.asarray(img.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(pixels[::7], axis=0)) > 50  # coloured banners, not a blank canvas
    table = pd.read_csv(tmp_path / "measures.csv", dtype={"code": str})
    assert len(table) == 14
    # per 10,000 residents a year, from the run's own counts
    banners = pd.read_parquet(run / "banners.parquet")
    banner = banners[banners["code"].astype(str) == "150702"].iloc[0]  # Hailar
    expected = banner["created"] / banner["population"] * 1e4 * 365 / 20
    code = str(banner["code"])
    assert table.loc[table["code"] == code, "disputes_per_10k"].iloc[0] == pytest.approx(expected)
    book = openpyxl.load_workbook(tmp_path / "difference.xlsx", read_only=True)
    assert book.sheetnames == ["difference"]
    assert (tmp_path / "difference.png").stat().st_size > 20_000


@pytest.mark.slow
def test_sweep_difference_is_paired_by_seed(tiny_city):
    a = sorted((tiny_city / "gw3.4").iterdir())
    b = sorted((tiny_city / "gw1").iterdir())
    table = difference(a, b)
    assert table["paired"].all()
    rows = table[table["measure"] == "callouts_per_10k"].set_index("code")
    # the paired mean difference is the mean of per-seed differences
    per_seed = [banner_measures(x)["callouts_per_10k"] - banner_measures(y)["callouts_per_10k"]
                for x, y in zip(a, b)]
    assert np.allclose(rows["difference"], (per_seed[0] + per_seed[1]).reindex(rows.index) / 2)
    finite = rows.dropna(subset=["ci_low"])
    assert (finite["ci_low"] <= finite["difference"]).all() and (finite["difference"] <= finite["ci_high"]).all()
    # same seed, same candidate arrivals: dispute counts differ only through residents' tension
    # (closures feed back into it), a few per cent at most in 20 days
    created = table[table["measure"] == "disputes_per_10k"].set_index("code")
    level = banner_measures(a[0])["disputes_per_10k"].reindex(created.index)
    assert (created["difference"].abs() <= 0.05 * level).all()


def test_map_refuses_a_folder_without_runs(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: RUN_DIR: no complete run (no summary.json) in it, got {str(tmp_path)!r}"]


def test_map_refuses_a_county_that_is_not_hulunbuir(tmp_path, capsys):
    simulate(["city=demo_county", "days=5"], run_dir=tmp_path / "county")
    assert main([str(tmp_path / "county")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: RUN_DIR: not a Hulunbuir run (banner codes without an outline: 000000)")
    assert not (tmp_path / "county" / "maps" / "map.png").exists()


def test_tables_beside_parquet_one_sheet_per_table(tmp_path):
    a = pd.DataFrame({"banner": ["Hailar District", "Ergun"], "created": [12, 3]})
    b = pd.DataFrame({"x": [1.5], "detail": [{"k": 1}]})
    paths = write_tables(tmp_path, {"banners": a, "runs": b}, workbook="tables")
    assert [p.name for p in paths] == ["banners.csv", "runs.csv", "tables.xlsx"]
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "banners.csv"), a)
    book = openpyxl.load_workbook(tmp_path / "tables.xlsx")
    assert book.sheetnames == ["banners", "runs"]
    assert [c.value for c in book["banners"][2]] == ["Hailar District", 12]
    assert book["runs"]["B2"].value == "{'k': 1}"  # a dict cell becomes text Excel can hold
    assert not list(tmp_path.glob(".*tmp*"))


def test_sheet_names_are_valid_and_distinct():
    taken: set[str] = set()
    long = "a_very_long_table_name_for_excel_sheets"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) == 31 and len(second) <= 31 and first != second
    assert sheet_name("a/b:c", taken) == "a_b_c"


def test_tables_refuse_a_path_as_a_name(tmp_path):
    with pytest.raises(ValueError, match=r"tables: a table name must be a plain file stem, got '\.\./x'"):
        write_tables(tmp_path, {"../x": pd.DataFrame({"a": [1]})})


@pytest.mark.slow
def test_live_city_counts_agree_with_the_models_daily_table():
    """Per-banner live counts (from the visits record and the open disputes) against the daily
    table's own bookkeeping: police arrivals and disputes live at the centres."""
    from sim.viz.city_live import CityControls, CityMapPicture, LiveCity, city_picture

    city = LiveCity(CityControls(scale=0.05, grid_workers_per_grid=1.0, dispute_rate=3000.0, seed=4))
    picture = CityMapPicture(city.codes)
    first = city_picture(picture, city, "queues")
    city.step(10)
    counts = city.counts()
    daily = pd.DataFrame(city.model.daily)
    police = daily.loc[daily["tier"] == "police", "arrivals"].sum()
    assert police > 0
    assert (counts["callouts"] * city.population / 1e4).sum() == pytest.approx(police)
    today = daily[(daily["day"] == daily["day"].max()) & daily["tier"].isin(["village", "township", "banner", "city"])]
    assert counts["queues"].sum() == today["live"].sum() > 0
    assert city_picture(picture, city, "queues") != first
