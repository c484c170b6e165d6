"""Tables people open: CSV files and one .xlsx workbook (a sheet per table) beside the Parquet.

``write_tables(folder, {"banners": df, ...})`` writes ``banners.csv`` ... and ``tables.xlsx``
with one sheet per table (openpyxl). Each file is written under a temporary name and renamed
into place, so a killed run never leaves a half-written table that looks whole.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
"""Characters Excel refuses in a sheet name."""


def sheet_name(name: str, taken: set[str]) -> str:
    """``name`` as a valid, unused Excel sheet name (at most 31 characters)."""
    base = SHEET_CHARS.sub("_", name)[:31] or "table"
    out, i = base, 1
    while out.lower() in taken:
        i += 1
        out = f"{base[:28]}~{i}"
    taken.add(out.lower())
    return out


def _excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    """Cells Excel can hold: dicts and lists as text, time zones dropped."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            out[col] = s.dt.tz_localize(None)
        elif s.dtype == object:
            out[col] = s.map(lambda v: str(v) if isinstance(v, dict | list | tuple | set) else v)
    return out


def _replace(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_tables(folder: str | Path, tables: dict[str, pd.DataFrame], workbook: str = "tables",
                 index: bool = False) -> list[Path]:
    """Write each table as ``<name>.csv`` and all of them as sheets of ``<workbook>.xlsx``.

    Args:
        folder: where to write (created if missing).
        tables: table name -> DataFrame; the name is the CSV's stem and the sheet's name.
        workbook: the workbook's stem.
        index: write the DataFrames' index as a first column.

    Returns:
        The paths written, CSVs first, the workbook last.

    Raises:
        ValueError: ``tables`` is empty or a name is not a plain file stem.
    """
    if not tables:
        raise ValueError("tables: nothing to write, got an empty dict")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, df in tables.items():
        if not name or Path(name).name != name or name.startswith("."):
            raise ValueError(f"tables: a table name must be a plain file stem, got {name!r}")
        path = folder / f"{name}.csv"
        tmp = folder / f".{path.name}.tmp-{os.getpid()}"
        df.to_csv(tmp, index=index)
        _replace(tmp, path)
        written.append(path)
    path = folder / f"{workbook}.xlsx"
    tmp = folder / f".{workbook}.tmp-{os.getpid()}.xlsx"
    taken: set[str] = set()
    with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        for name, df in tables.items():
            _excel_ready(df).to_excel(xl, sheet_name=sheet_name(name, taken), index=index)
    _replace(tmp, path)
    written.append(path)
    return written
