"""Which run folders under a sweep folder are finished runs of that sweep, and why others are not.

A *run folder* is any folder holding ``summary.json`` or ``.hydra/config.yaml`` (what Hydra writes
when a job starts). It is *usable* when it is whole (:func:`sim.sweep_progress.run_problem`:
the summary parses and every table is a whole Parquet file) and, for a Hydra multirun folder
(``multirun.yaml`` at its top), when its job's overrides are one of the jobs the *last* multirun
into that folder asked for: a second sweep with other overrides into the same
``hydra.sweep.dir`` leaves the first sweep's extra jobs behind, and they are not this sweep's.
Everything else is *skipped*, with the reason, never silently merged.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from omegaconf import OmegaConf

from sim.sweep_progress import run_problem

OUTPUT = "aggregate"
"""The folder, inside a sweep folder, where the aggregate tables go (never a run's own files)."""


@dataclass
class Skipped:
    """A run folder left out of a sweep's tables, and why."""

    run: str  # relative to the sweep folder
    reason: str


def _key(run_dir: Path, root: Path) -> list:
    return [int(x) if x.isdigit() else x for x in run_dir.relative_to(root).parts]


def candidates(root: Path) -> list[Path]:
    """Every run folder under ``root`` (``root`` itself included), in a stable order."""
    found = {p.parent for p in root.rglob("summary.json")}
    found |= {p.parent.parent for p in root.rglob(".hydra/config.yaml")}
    found = {p for p in found if OUTPUT not in p.relative_to(root).parts[:1] or p == root}
    return sorted(found, key=lambda p: _key(p, root))


def expand(lines: list[str]) -> list[list[str]]:
    """Every job's overrides, as Hydra's basic sweeper makes them of ``lines`` (the experiment's
    ``hydra.sweeper.params`` first, then the command line): a later key replaces an earlier one,
    and every combination of the choices is a job, in the sweeper's order."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    axes: dict[str, list[str]] = {}
    for o in OverridesParser.create().parse_overrides(lines):
        key = o.get_key_element()
        values = list(o.sweep_string_iterator()) if o.is_sweep_override() else [o.get_value_element_as_str()]
        axes[key] = [f"{key}={v}" for v in values]
    return [list(combo) for combo in itertools.product(*axes.values())]


def sweep_jobs(root: Path) -> list[frozenset[str]] | None:
    """The job override sets of the last Hydra multirun into ``root`` (None: not a multirun folder).

    Expanded as Hydra's basic sweeper does: ``hydra.sweeper.params`` first, then the command
    line's overrides, a later key replacing an earlier one, every combination of the choices.
    """
    path = root / "multirun.yaml"
    if not path.is_file():
        return None
    try:
        cfg = OmegaConf.load(path)
        params = OmegaConf.select(cfg, "hydra.sweeper.params") or {}
        task = list(OmegaConf.select(cfg, "hydra.overrides.task") or [])
        jobs = expand([f"{k}={v}" for k, v in params.items()] + [str(t) for t in task])
    except Exception:  # noqa: BLE001 - a multirun.yaml we cannot read restricts nothing
        return None
    return [frozenset(job) for job in jobs]


def job_overrides(run_dir: Path) -> frozenset[str] | None:
    """A run folder's own overrides (``.hydra/overrides.yaml``), normalised as Hydra prints them."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    path = run_dir / ".hydra" / "overrides.yaml"
    if not path.is_file():
        return None
    lines = [str(x) for x in OmegaConf.to_container(OmegaConf.load(path))]  # type: ignore[union-attr]
    parsed = OverridesParser.create().parse_overrides(lines)
    return frozenset(f"{o.get_key_element()}={o.get_value_element_as_str()}" for o in parsed)


def sweep_runs(root: str | Path) -> tuple[list[Path], list[Skipped]]:
    """The usable run folders of a sweep and the skipped ones with their reasons.

    Raises:
        FileNotFoundError: ``root`` is not a folder.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(2, "no such folder" if not root.exists() else "not a folder", str(root))
    expected = sweep_jobs(root)
    usable, skipped = [], []
    for run_dir in candidates(root):
        name = str(run_dir.relative_to(root)) or "."
        problem = run_problem(run_dir)
        if problem is None and expected is not None and run_dir != root:
            try:
                own = job_overrides(run_dir)
            except Exception as exc:  # noqa: BLE001 - a broken overrides.yaml is a broken folder
                problem = f".hydra/overrides.yaml: unreadable ({str(exc).splitlines()[0][:60]})"
            else:
                if own is not None and own not in expected:
                    problem = "left by an earlier sweep with other overrides (not in multirun.yaml)"
        if problem is None:
            usable.append(run_dir)
        else:
            skipped.append(Skipped(name, problem))
    return usable, skipped
