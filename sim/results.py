"""Run folders: written atomically, ``summary.json`` last; read back into a :class:`Result`.

A run folder is complete exactly when ``summary.json`` exists: every table is written under a
temporary name and renamed into place, and the summary is renamed in last.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

TABLES = ("disputes", "visits", "daily", "banners")


@dataclass
class Result:
    """One run: the summary dict and the tables (pandas DataFrames)."""

    summary: dict
    disputes: pd.DataFrame
    daily: pd.DataFrame
    banners: pd.DataFrame
    run_dir: Path
    visits: pd.DataFrame | None = None


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _clean(value):
    """JSON has no NaN: write null instead, so every reader can parse the summary."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_run(run_dir: Path, summary: dict, tables: dict[str, pd.DataFrame]) -> Path:
    """Write the tables, then ``summary.json``; return the run folder."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    begin_run(run_dir)  # a re-run into the same folder is incomplete until it finishes
    done = run_dir / "summary.json"
    for name in TABLES:
        _atomic(run_dir / f"{name}.parquet", lambda p, df=tables[name]: df.to_parquet(p, index=False))
    text = json.dumps(_clean(summary), indent=2, ensure_ascii=False, sort_keys=False)
    _atomic(done, lambda p: p.write_text(text + "\n", encoding="utf-8"))
    return run_dir


def is_complete(run_dir: Path) -> bool:
    return (Path(run_dir) / "summary.json").is_file()


def begin_run(run_dir: str | Path) -> None:
    """Mark a folder incomplete before a run starts in it.

    A ``summary.json`` left by an earlier run would otherwise vouch for the new run's folder
    if the new run is killed before it writes its own.
    """
    run_dir = Path(run_dir)
    (run_dir / "summary.json").unlink(missing_ok=True)
    if run_dir.is_dir():
        for stale in run_dir.glob(".*.tmp-*"):  # temporaries of a run killed while writing
            stale.unlink(missing_ok=True)


def config_fingerprint(cfg: Any) -> str:
    """SHA-256 of a whole resolved scenario (a :class:`~sim.config.Config`), keys sorted.

    Equal fingerprints mean equal configurations; recorded in ``summary.json`` so that a resumed
    sweep skips a job only if its finished run was made by the same configuration.
    """
    text = json.dumps(asdict(cfg), sort_keys=True, default=str, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def complete_with(run_dir: str | Path, cfg: Any) -> bool:
    """The folder holds a finished run of exactly this configuration."""
    path = Path(run_dir) / "summary.json"
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return summary.get("config_sha256") == config_fingerprint(cfg)


def read_run(run_dir: str | Path) -> Result:
    """Read a complete run folder.

    Raises:
        FileNotFoundError: the folder has no ``summary.json`` (the run did not finish).
    """
    run_dir = Path(run_dir)
    if not is_complete(run_dir):
        raise FileNotFoundError(f"{run_dir}: no summary.json, the run is not complete")
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    frames = {n: pd.read_parquet(run_dir / f"{n}.parquet") for n in TABLES}
    return Result(summary, frames["disputes"], frames["daily"], frames["banners"], run_dir, frames["visits"])
