"""Run one scenario from a typed :class:`Config` into a run folder (no Hydra here).

:func:`preflight` checks everything that can be checked before the world is built (values and
ranges, the city table, banner names, the memory a run would need), so the command line can
refuse bad input before it creates or touches a run folder. :func:`run` holds the folder's
lock while it runs and labels the summary with what actually ran (:func:`labels`).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pandas as pd

from sim.checks import check
from sim.config import Config
from sim.errors import ShouwangError
from sim.limits import check_budget
from sim.results import Result, begin_run, claim, config_fingerprint, write_run
from sim.weighting import fidelity_line


def package_version() -> str:
    """The installed shouwang version for the summary; "unknown" from a checkout never installed."""
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


def city_banners(cfg: Config) -> pd.DataFrame:
    """The city's banners (``name, code, name_zh`` and the counts a run's size depends on),
    read from the banner table or the synthetic county's settings, without building the world.

    Raises:
        ShouwangError: a broken or missing city table.
    """
    c = cfg.city
    if c.kind == "table":
        from sim.world.table import load_banner_table

        t = load_banner_table(c.table)
        return pd.DataFrame({"name": t["name_en"], "code": t["code"].astype(str), "name_zh": t["name_zh"],
                             "population": t["population_2020"],
                             "townships": t["streets"] + t["towns"] + t["sumu_xiang"],
                             "villages": t["residents_committees"] + t["village_committees"]})
    return pd.DataFrame([{"name": c.name, "code": "000000", "name_zh": c.name, "population": c.population,
                          "townships": c.townships,
                          "villages": c.townships * (c.villages_per_township + 2)}])


def banner_name(banners: pd.DataFrame, key: str, where: str) -> str:
    """The English name of the banner a key names (English or Chinese name, or division code).

    Raises:
        ShouwangError: one line naming ``where``, the unknown key and the known names.
    """
    for _, b in banners.iterrows():
        if key in (b["name"], b["code"], b["name_zh"]):
            return str(b["name"])
    raise ShouwangError(f"{where}: unknown banner {key!r} (known: {', '.join(banners['name'])})")


def effective_models(cfg: Config, banners: pd.DataFrame) -> dict[str, str]:
    """Per banner, the governance model that runs it: a ``banner_models`` switch, else
    ``governance.apply`` everywhere, else ``classified`` (each place its own model)."""
    g = cfg.governance
    out = {str(name): (g.apply if g.apply != "classified" else "classified") for name in banners["name"]}
    for key, model in g.banner_models.items():
        out[banner_name(banners, str(key), "governance.banner_models")] = model
    return out


def labels(cfg: Config, banners: pd.DataFrame) -> dict:
    """The summary's account of what ran: effective governance, per-banner models, switches."""
    models = effective_models(cfg, banners)
    switched = {banner_name(banners, str(k), "governance.banner_models"): m
                for k, m in cfg.governance.banner_models.items()}
    label = cfg.governance.name
    g = cfg.governance
    if g.apply != "classified" and g.apply != g.name:
        label = g.apply if g.name == "classified" else f"{g.name} with {g.apply} everywhere"
    if switched:
        label += " + " + ", ".join(f"{b}: {m}" for b, m in switched.items())
    return {"governance": label, "governance_preset": g.name, "governance_apply": g.apply,
            "banner_models": switched, "models": models}


def preflight(cfg: Config) -> pd.DataFrame:
    """Every check that needs no world: values, the city table, banner names, the run's size.

    Returns:
        The city's banners (see :func:`city_banners`).

    Raises:
        ShouwangError: the first problem, in one line.
    """
    check(cfg)
    banners = city_banners(cfg)
    for key in cfg.governance.banner_models:
        banner_name(banners, str(key), "governance.banner_models")
    for key in cfg.staffing.by_banner:
        banner_name(banners, str(key), "staffing.by_banner")
    check_budget(cfg, float(banners["population"].sum()), float(banners["villages"].sum()),
                 float(banners["townships"].sum()), float(len(banners)))
    return banners


def run(cfg: Config, run_dir: str | Path, progress: bool | None = None) -> Result:
    """Simulate ``cfg.days`` days and write the run folder; return the :class:`Result`.

    Args:
        cfg: a checked scenario (checked again here; cheap).
        run_dir: where the tables and ``summary.json`` go.
        progress: show a progress bar over days (default: ``cfg.progress``).

    Raises:
        ShouwangError: bad input (before the folder is touched), or the folder is in use by
            another run, is a file or cannot be written.
    """
    city = preflight(cfg)
    with claim(run_dir):
        begin_run(run_dir)  # the folder is incomplete from now until summary.json is written
        return _simulate(cfg, Path(run_dir), city, progress)


def _simulate(cfg: Config, run_dir: Path, city: pd.DataFrame, progress: bool | None) -> Result:
    started = time.perf_counter()
    if cfg.validation.mode != "none":  # queueing-theory check mode: the tiers alone (sim.validation)
        from sim.validation import simulate_queues

        summary, tables = simulate_queues(cfg)
        summary.update(runtime_s=round(time.perf_counter() - started, 3), version=package_version(),
                       git_commit=git_commit(), git_dirty=git_dirty(),
                       config_sha256=config_fingerprint(cfg))
        summary.update(labels(cfg, city))
        path = write_run(Path(run_dir), summary, tables)
        return Result(summary, tables["disputes"], tables["daily"], tables["banners"], path, tables["visits"])
    from sim.model import ShouwangModel
    from sim.tables import banners_frame, daily_frame, disputes_frame, summary_dict

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
        township = np.array([d.township for d in model.ledger.disputes], dtype=np.int64)
        summary["by_year"] = by_year(years(cfg), disputes, visits, daily, township, model.sample.weights,
                                     model.sample.share)
    summary["runtime_s"] = round(time.perf_counter() - started, 3)
    summary["version"] = package_version()
    summary["git_commit"] = git_commit()
    summary["git_dirty"] = git_dirty()
    summary["config_sha256"] = config_fingerprint(cfg)  # what made this run (see complete_with)
    summary.update(labels(cfg, city))  # the effective governance, not only the preset's name
    tables = {"disputes": disputes, "visits": visits, "daily": daily, "banners": banners}
    path = write_run(Path(run_dir), summary, tables)
    return Result(summary, disputes, daily, banners, path, visits)


def describe(summary: dict) -> str:
    """A short human summary of a run."""
    d = summary["disputes"]
    r = summary["resolved_at"]
    w = summary["mean_wait_days"]
    extra = "".join(f" · {k} {summary[k]}" for k, quiet in (("shocks", "none"), ("policy", "baseline"))
                    if summary.get(k, quiet) != quiet)
    lines = [
        f"{summary['city']} · {summary['governance']} · {summary['staffing']}{extra} · seed {summary['seed']} · "
        f"scale {summary['scale']} · {summary['days']} days",
        f"population {summary['population']:,} · grids {summary['grids']:,} · grid workers "
        f"{summary['grid_workers']:,} · mediators {summary['mediators']:,} · police posts {summary['police_posts']}",
        f"disputes {d['created']:,}: resolved {d['resolved']:,} (grid {r['grid']:,}, village {r['village']:,}, "
        f"township {r['township']:,}, banner {r['banner']:,}, city {r['city']:,}, police {r['police']:,}), "
        f"litigated {d['litigated']:,}, criminal {d['criminal']:,}, withdrawn {d['withdrawn']:,}, "
        f"pending {d['pending']:,}",
        f"mediated cases {summary['mediated_cases']:,} · success {summary['mediation_success_rate']:.2%} · "
        f"mean wait village {w['village']:.2f} d, township {w['township']:.2f} d, banner {w['banner']:.2f} d, "
        f"city {w['city']:.2f} d",
        f"satisfaction {summary['satisfaction']:.3f} · fraud cases/day {summary['fraud_cases_per_day']:.2f} · "
        f"runtime {summary['runtime_s']:.1f} s",
    ]
    line = fidelity_line(summary)  # a sampled run: what it stands for and what it cannot represent
    if line:
        lines.append(line)
    return "\n".join(lines)
