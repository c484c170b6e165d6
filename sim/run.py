"""Run one scenario from a typed :class:`Config` into a run folder (no Hydra here)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sim.config import Config, check
from sim.model import ShouwangModel
from sim.results import Result, begin_run, config_fingerprint, write_run
from sim.tables import banners_frame, daily_frame, disputes_frame, summary_dict


def package_version() -> str:
    try:
        return version("shouwang")
    except PackageNotFoundError:
        return "unknown"


def git_commit() -> str | None:
    """The commit of the checkout the code runs from, if it is one."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent,
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def git_dirty() -> bool | None:
    """Whether tracked files differ from that commit (then ``git_commit`` alone does not pin the code)."""
    try:
        out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                             cwd=Path(__file__).parent, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(out.stdout.strip()) if out.returncode == 0 else None


def run(cfg: Config, run_dir: str | Path, progress: bool | None = None) -> Result:
    """Simulate ``cfg.days`` days and write the run folder; return the :class:`Result`.

    Args:
        cfg: a checked scenario (checked again here; cheap).
        run_dir: where the tables and ``summary.json`` go.
        progress: show a progress bar over days (default: ``cfg.progress``).
    """
    check(cfg)
    begin_run(run_dir)  # the folder is incomplete from now until summary.json is written
    started = time.perf_counter()
    if cfg.validation.mode != "none":  # queueing-theory check mode: the tiers alone (sim.validation)
        from sim.validation import simulate_queues

        summary, tables = simulate_queues(cfg)
        summary.update(runtime_s=round(time.perf_counter() - started, 3), version=package_version(),
                       git_commit=git_commit(), git_dirty=git_dirty(),
                       config_sha256=config_fingerprint(cfg))
        path = write_run(Path(run_dir), summary, tables)
        return Result(summary, tables["disputes"], tables["daily"], tables["banners"], path, tables["visits"])
    phases = None
    if cfg.timeline.name != "none":  # a reform timeline: the phases' systems, blended (sim.timeline)
        from sim.timeline import phase_configs

        assert cfg.timeline.before_governance is not None, "composed configs fill it in (sim.hydra_conf)"
        phases = phase_configs(cfg, cfg.timeline.before_governance)
    model = ShouwangModel(cfg, phases=phases)
    days: Iterable[int] = range(cfg.days)
    if progress if progress is not None else cfg.progress:
        from tqdm import tqdm

        days = tqdm(days, desc="days", unit="day", leave=False)
    for _ in days:
        model.step()
    counts = model.finish()
    visits = model.visits.frame()
    disputes = disputes_frame(model, visits)
    daily = daily_frame(model)
    banners = banners_frame(model, disputes, visits)
    summary = summary_dict(model, disputes, visits, counts)
    if cfg.timeline.name != "none":
        from sim.timeline import years
        from sim.yearly import by_year

        summary["timeline"] = cfg.timeline.name
        summary["by_year"] = by_year(years(cfg), disputes, visits, daily)
    summary["runtime_s"] = round(time.perf_counter() - started, 3)
    summary["version"] = package_version()
    summary["git_commit"] = git_commit()
    summary["git_dirty"] = git_dirty()
    summary["config_sha256"] = config_fingerprint(cfg)  # what made this run (see complete_with)
    tables = {"disputes": disputes, "visits": visits, "daily": daily, "banners": banners}
    path = write_run(Path(run_dir), summary, tables)
    return Result(summary, disputes, daily, banners, path, visits)


def describe(summary: dict) -> str:
    """A short human summary of a run."""
    d = summary["disputes"]
    r = summary["resolved_at"]
    w = summary["mean_wait_days"]
    lines = [
        f"{summary['city']} · {summary['governance']} · {summary['staffing']} · seed {summary['seed']} · "
        f"scale {summary['scale']} · {summary['days']} days",
        f"population {summary['population']:,} · grids {summary['grids']:,} · grid workers "
        f"{summary['grid_workers']:,} · mediators {summary['mediators']:,} · police posts {summary['police_posts']}",
        f"disputes {d['created']:,}: resolved {d['resolved']:,} (grid {r['grid']:,}, village {r['village']:,}, "
        f"township {r['township']:,}, banner {r['banner']:,}, city {r['city']:,}, police {r['police']:,}), "
        f"litigated {d['litigated']:,}, criminal {d['criminal']:,}, withdrawn {d['withdrawn']:,}, "
        f"pending {d['pending']:,}",
        f"mediated cases {summary['mediated_cases']:,} · success {summary['mediation_success_rate']:.1%} · "
        f"mean wait village {w['village']:.2f} d, township {w['township']:.2f} d, banner {w['banner']:.2f} d, "
        f"city {w['city']:.2f} d",
        f"satisfaction {summary['satisfaction']:.3f} · fraud cases/day {summary['fraud_cases_per_day']:.2f} · "
        f"runtime {summary['runtime_s']:.1f} s",
    ]
    return "\n".join(lines)
