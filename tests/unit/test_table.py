"""The banner table: the shipped Hulunbuir figures and the checks on user tables."""

import pytest

from sim.errors import ShouwangError
from sim.world.table import load_banner_table


def test_hulunbuir_table_matches_census_and_codes():
    t = load_banner_table("hulunbuir")
    assert len(t) == 14
    assert t["population_2020"].sum() == 2_242_875  # 7th census city total
    assert (t["streets"] + t["towns"] + t["sumu_xiang"]).sum() == 142
    assert (t["residents_committees"] + t["village_committees"]).sum() == 1156
    assert t["source"].str.len().min() > 10  # every row carries its source


def _write(tmp_path, edit):
    text = load_banner_table.__globals__["resources"].files("sim.world").joinpath(
        "data/hulunbuir_banners.csv").read_text(encoding="utf-8")
    path = tmp_path / "city.csv"
    path.write_text(edit(text), encoding="utf-8")
    return str(path)


def test_missing_column_is_named(tmp_path):
    path = _write(tmp_path, lambda s: s.replace("area_km2", "area", 1))
    with pytest.raises(ShouwangError, match="missing column 'area_km2'"):
        load_banner_table(path)


def test_negative_population_is_named(tmp_path):
    path = _write(tmp_path, lambda s: s.replace("365012", "-365012", 1))
    with pytest.raises(ShouwangError, match="negative population_2020 -365012 for code 150702"):
        load_banner_table(path)


def test_duplicate_code_is_named(tmp_path):
    path = _write(tmp_path, lambda s: s.replace("150703,", "150702,", 1))
    with pytest.raises(ShouwangError, match="duplicate code '150702'"):
        load_banner_table(path)


def test_missing_file_is_named():
    with pytest.raises(ShouwangError, match="city.table: no such file 'nowhere.csv'"):
        load_banner_table("nowhere.csv")
