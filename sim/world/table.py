"""The banner table (旗市区): the county-level units a city is built from.

The Hulunbuir table ships with the package (``data/hulunbuir_banners.csv``); every figure
in it carries its public source in the ``source`` and ``population_note`` columns
(7th census 2020 populations, 2021 statistical division codes for townships and villages).
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import ShouwangError

PLACE_MODELS: tuple[str, ...] = ("urban", "rural", "forest", "mining", "pastoral", "border")
"""The six "classified" governance models (分类化) a place can carry."""

REQUIRED_COLUMNS: dict[str, type] = {
    "code": str,
    "name_en": str,
    "name_zh": str,
    "population_2020": int,
    "area_km2": float,
    "streets": int,
    "towns": int,
    "sumu_xiang": int,
    "residents_committees": int,
    "village_committees": int,
    "primary_model": str,
    "seat_lat": float,
    "seat_lon": float,
}

BUILTIN_TABLES = {"hulunbuir": "hulunbuir_banners.csv"}


def load_banner_table(table: str) -> pd.DataFrame:
    """Read and check a banner table.

    Args:
        table: a built-in name (``hulunbuir``) or a path to a CSV file with the
            columns of :data:`REQUIRED_COLUMNS`.

    Returns:
        One row per banner, columns typed, in file order.

    Raises:
        ShouwangError: a missing file or column, a bad number, a negative count,
            a duplicate code or an unknown governance model, named in one line.
    """
    if table in BUILTIN_TABLES:
        ref = resources.files("sim.world") / "data" / BUILTIN_TABLES[table]
        text = ref.read_text(encoding="utf-8")
        where = f"built-in table {table!r}"
    else:
        path = Path(table)
        if not path.is_file():
            raise ShouwangError(f"city.table: no such file {table!r}")
        where = f"city.table {table!r}"
        text = _utf8(path.read_bytes(), where)
    # csv module with plain strings: no code execution, no type guessing
    reader = csv.DictReader(text.splitlines(), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ShouwangError(f"{where} line {reader.line_num + 1}: not CSV ({exc})") from None
    if not rows:
        raise ShouwangError(f"{where}: the table has no rows")
    missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
    if missing:
        raise ShouwangError(f"{where}: missing column {missing[0]!r}")
    header = len(rows[0]) - (None in rows[0])
    out: dict[str, list] = {c: [] for c in rows[0] if c is not None}
    for line, row in enumerate(rows, start=2):
        if None in row or None in row.values():  # more (or fewer) fields than the header names
            fields = header + len(row.get(None) or []) - sum(v is None for v in row.values())
            raise ShouwangError(f"{where} line {line}: {fields} fields, the header names {header}")
        for col, value in row.items():
            kind = REQUIRED_COLUMNS.get(col, str)
            out[col].append(_parse(value, kind, f"{where} line {line} column {col!r}"))
    df = pd.DataFrame(out)
    for col in ("population_2020", "area_km2", "streets", "towns", "sumu_xiang",
                "residents_committees", "village_committees"):
        bad = df.index[df[col] < 0]
        if len(bad):
            raise ShouwangError(
                f"{where}: negative {col} {df.at[bad[0], col]} for code {df.at[bad[0], 'code']}"
            )
    dup = df["code"][df["code"].duplicated()]
    if len(dup):
        raise ShouwangError(f"{where}: duplicate code {dup.iloc[0]!r}")
    unknown = df.index[~df["primary_model"].isin(PLACE_MODELS)]
    if len(unknown):
        raise ShouwangError(
            f"{where}: unknown primary_model {df.at[unknown[0], 'primary_model']!r} "
            f"(choose from {', '.join(PLACE_MODELS)})"
        )
    empty = df.index[(df["streets"] + df["towns"] + df["sumu_xiang"]) == 0]
    if len(empty):
        raise ShouwangError(f"{where}: code {df.at[empty[0], 'code']} has no townships")
    units = df["residents_committees"] + df["village_committees"]
    thin = df.index[units < df["streets"] + df["towns"] + df["sumu_xiang"]]
    if len(thin):
        raise ShouwangError(
            f"{where}: code {df.at[thin[0], 'code']} has fewer villages/communities than townships"
        )
    return df


def _utf8(data: bytes, where: str) -> str:
    """The file's text, or the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ShouwangError(f"{where} line {line}: not UTF-8 text (byte {data[exc.start]:#04x}; save the "
                            f"table as UTF-8)") from None


def _parse(value: str | None, kind: type, where: str):
    if value is None or value.strip() == "":
        if kind is str:
            return ""
        raise ShouwangError(f"{where}: empty value")
    if kind is str:
        return value.strip()
    try:
        number = float(value)
    except ValueError:
        raise ShouwangError(f"{where}: not a number: {value!r}") from None
    if not np.isfinite(number):
        raise ShouwangError(f"{where}: not a finite number: {value!r}")
    if kind is int:
        if number != int(number):
            raise ShouwangError(f"{where}: not a whole number: {value!r}")
        return int(number)
    return number
