"""Run folders: one run each, written atomically, ``summary.json`` last; read back into a :class:`Result`.

A run folder is complete exactly when ``summary.json`` exists: every table is written under a
temporary name and renamed into place, and the summary is renamed in last. A run holds the
folder's lock (:func:`claim`, ``fcntl.flock`` on ``.lock``: POSIX, no extra package) from before it
writes anything until it ends, so a second run into the same folder is refused instead of
mixing its tables with the first one's; the kernel drops the lock when a run dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ShouwangError

TABLES = ("disputes", "visits", "daily", "banners")
LOCK = ".lock"
"""The lock file a running run holds in its folder."""
_TEMP = re.compile(r"^\.(?:disputes|visits|daily|banners)\.parquet\.tmp-\d+-[0-9a-f]{32}$"
                   r"|^\.summary\.json\.tmp-\d+-[0-9a-f]{32}$")
"""Temporary names this module writes (``.<file>.tmp-<pid>-<uuid>``); nothing else is cleaned."""
_HELD: dict[Path, int] = {}  # folders this process holds (a run re-entering its own folder)


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
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex}")
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


def problem(run_dir: str | Path) -> str | None:
    """Why a folder does not hold a complete run, or None if it does.

    Complete means ``summary.json`` parses as a JSON object and every table is there and readable
    as Parquet (its footer is read, not its rows): a deleted or cut-short table is caught, not
    only a missing summary.
    """
    import pyarrow.parquet as pq

    run_dir = Path(run_dir)
    try:
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "no summary.json"
    except (OSError, ValueError) as exc:
        return f"summary.json unreadable ({type(exc).__name__})"
    if not isinstance(summary, dict):
        return "summary.json is not a JSON object"
    for name in TABLES:
        path = run_dir / f"{name}.parquet"
        if not path.is_file():
            return f"{name}.parquet is missing"
        try:
            pq.read_metadata(path)
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a broken file
            return f"{name}.parquet unreadable ({type(exc).__name__})"
    return None


def is_complete(run_dir: Path) -> bool:
    """The folder holds a complete run (see :func:`problem`)."""
    return problem(run_dir) is None


def begin_run(run_dir: str | Path) -> None:
    """Mark a folder incomplete before a run starts in it.

    A ``summary.json`` left by an earlier run would otherwise vouch for the new run's folder
    if the new run is killed before it writes its own. Temporaries of a run killed while
    writing are removed too, but only names this module makes, and only under the folder's
    lock (no other run can be writing them then).
    """
    run_dir = Path(run_dir)
    (run_dir / "summary.json").unlink(missing_ok=True)
    if run_dir.is_dir() and _held(run_dir):
        for stale in run_dir.iterdir():
            if _TEMP.match(stale.name):
                stale.unlink(missing_ok=True)


def _held(run_dir: Path) -> bool:
    return run_dir.resolve() in _HELD


@contextlib.contextmanager
def claim(run_dir: str | Path, key: str = "hydra.run.dir") -> Iterator[Path]:
    """Hold a run folder for one run: create it, lock it, release when done.

    Re-entrant within a process (the command line claims the folder before Hydra writes
    ``.hydra/``; the run inside claims it again).

    Args:
        run_dir: the run folder (created with its parents).
        key: the setting that named it, for messages.

    Raises:
        ShouwangError: the folder is in use by another run, is a file, or cannot be written.
    """
    path = Path(run_dir).resolve()
    if path in _HELD:
        yield path
        return
    if path.exists() and not path.is_dir():
        raise ShouwangError(f"{key}: the run folder is a file, not a folder, got {str(run_dir)!r}")
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd = os.open(path / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        raise ShouwangError(f"{key}: a file stands where a folder is needed, got {str(run_dir)!r}") from None
    except OSError as exc:
        raise ShouwangError(f"{key}: cannot write into the run folder ({exc.strerror or exc}), "
                            f"got {str(run_dir)!r}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise ShouwangError(f"{key}: another run is writing into this folder now (it holds {LOCK}); "
                            f"wait for it or choose another folder, got {str(run_dir)!r}") from None
    if not os.access(path, os.W_OK):
        os.close(fd)
        raise ShouwangError(f"{key}: cannot write into the run folder (read-only), got {str(run_dir)!r}")
    _HELD[path] = fd
    try:
        yield path
    finally:
        _HELD.pop(path, None)
        os.close(fd)  # closing the descriptor releases the lock


def config_fingerprint(cfg: Any) -> str:
    """SHA-256 of a whole resolved scenario (a :class:`~sim.config.Config`), keys sorted.

    Equal fingerprints mean equal configurations; recorded in ``summary.json`` so that a resumed
    sweep skips a job only if its finished run was made by the same configuration.
    """
    text = json.dumps(asdict(cfg), sort_keys=True, default=str, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def complete_with(run_dir: str | Path, cfg: Any) -> bool:
    """The folder holds a finished run of exactly this configuration."""
    if problem(run_dir) is not None:
        return False
    summary = json.loads((Path(run_dir) / "summary.json").read_text(encoding="utf-8"))
    return summary.get("config_sha256") == config_fingerprint(cfg)


def read_run(run_dir: str | Path) -> Result:
    """Read a complete run folder.

    Raises:
        FileNotFoundError: the run is not complete (no ``summary.json``, or a table missing or
            cut short): see :func:`problem`.
    """
    run_dir = Path(run_dir)
    why = problem(run_dir)
    if why is not None:
        raise FileNotFoundError(f"{run_dir}: {why}, the run is not complete")
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    frames = {n: pd.read_parquet(run_dir / f"{n}.parquet") for n in TABLES}
    return Result(summary, frames["disputes"], frames["daily"], frames["banners"], run_dir, frames["visits"])
