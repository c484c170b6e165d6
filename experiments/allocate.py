"""Where the next staff should go: search allocations of new staff across the 14 banners.

``python -m experiments.allocate [--kind grid_workers] [--people 500 | --yuan Y] [--objective ...]
[--trials 12] [--search-seeds 2] [--confirm-seeds 8] [--scale 1] [--days 90] [--jobs 2]
[--out results/allocate] [overrides...]``

A simulation-optimisation in two steps, honest about noise:

1. **Search.** Optuna's TPE sampler (seeded) proposes a weight per banner; the weights become
   whole people per banner (:func:`allocation`), expressed as ``staffing.by_banner`` factors,
   and each proposal is simulated on the same ``--search-seeds`` seeds (common random numbers:
   the same seed gives every allocation the same city and the same dispute arrivals). Its value
   is the objective's mean over those seeds. (Arrivals stay shared until staffing feeds back into
   residents' tension, so later days differ a little between allocations even on one seed.) "Spread evenly" and "proportional to population"
   are the first two proposals, so the search starts from the naive answers.
2. **Confirmation.** The search's best allocation, the baseline (no new staff) and the two naive
   allocations are run again on ``--confirm-seeds`` fresh seeds, paired by seed; the gains are
   paired t intervals (95%). Fresh seeds keep the winner's luck in the search (the "winner's
   curse") out of the reported gain.

Resumable: the study lives in ``OUT/study.log`` (optuna's journal file) and every run in its own
folder under ``OUT/runs``; a re-run skips finished runs and trials. Parallel: the runs of a batch
go to ``--jobs`` processes (joblib). Outputs in OUT: ``report.md``, ``allocation.png`` (the map),
``allocation``/``gains``/``runs``/``trials`` as Parquet, CSV and one ``allocate.xlsx``.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from experiments.allocate_runs import (
    KINDS,
    MEASURES,
    City,
    InputError,
    Study,
    config_value,
    evaluate,
    scenario,
)
from experiments.tables_io import write_tables
from sim.errors import ShouwangError

__all__ = ["KINDS", "MEASURES", "City", "InputError", "Study", "evaluate", "scenario", "allocation", "main"]

ROOT = Path(__file__).resolve().parents[1]
SEARCH_SEED0, CONFIRM_SEED0 = 0, 1000
"""Search seeds are 0, 1, ...; confirmation seeds 1000, 1001, ...: never the same runs."""


OBJECTIVES = {
    "callouts+conversions": {"callouts_per_10k": 1.0, "conversions_per_10k": 1.0},
    "settlement": {"settlement_days": 1.0},
    # a mix in natural units: one call-out per 10,000 a year weighs as one day to settlement (assumption)
    "mix": {"callouts_per_10k": 1.0, "conversions_per_10k": 1.0, "settlement_days": 1.0},
}


@dataclass
class Settings:
    """One allocation study (what ``settings.json`` in the output folder records)."""

    kind: str = "grid_workers"
    people: int = 500
    yuan: float | None = None
    objective: dict[str, float] = field(default_factory=lambda: dict(OBJECTIVES["callouts+conversions"]))
    trials: int = 12
    search_seeds: int = 2
    confirm_seeds: int = 8
    scale: float = 1.0
    days: int = 90
    sampler_seed: int = 0
    overrides: list[str] = field(default_factory=list)

    def study_key(self) -> dict:
        """What a resumed study must share with the saved one (not the trial count)."""
        key = asdict(self)
        key.pop("trials")
        key.pop("confirm_seeds")
        return key


# --- allocations -------------------------------------------------------------------------------


def allocation(people: int, weights: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """Extra people per banner: shares ``weights`` of ``people``, in whole ``blocks`` per banner.

    A banner's extra must be a multiple of its block (1 for grid workers; its number of centres
    when each centre gets whole mediators). Each banner gets the blocks that fit under its share,
    then the blocks left are handed out one at a time to the banner furthest below its share
    (ties: the first), while one fits in what is left. With blocks of 1 this is the largest
    remainder method. The total is at most ``people``.
    """
    w = np.asarray(weights, float)
    blocks = np.asarray(blocks, np.int64)
    if w.sum() <= 0:
        w = np.ones_like(w)
    target = people * w / w.sum()
    k = np.floor(target / blocks).astype(np.int64)
    left = people - int((k * blocks).sum())
    while True:
        fits = np.flatnonzero(blocks <= left)
        if len(fits) == 0:
            break
        b = fits[np.argmax((target - k * blocks)[fits])]
        k[b] += 1
        left -= int(blocks[b])
    return k * blocks


def paired_gain(base: np.ndarray, other: np.ndarray) -> dict[str, float]:
    """``base - other`` per seed (positive: ``other`` is lower, i.e. better): mean, 95% paired t CI."""
    d = np.asarray(base, float) - np.asarray(other, float)
    d = d[np.isfinite(d)]
    n = len(d)
    if n < 2:
        return {"gain": float(d.mean()) if n else float("nan"), "ci_low": float("nan"), "ci_high": float("nan"), "n": n}
    half = float(stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / np.sqrt(n))
    return {"gain": float(d.mean()), "ci_low": float(d.mean() - half), "ci_high": float(d.mean() + half), "n": n}


# --- search and confirmation --------------------------------------------------------------------


def naive(city: City, people: int) -> dict[str, np.ndarray]:
    """The planner's naive answers: the same to every banner, or in proportion to residents."""
    b = city.banners
    blocks = b["block"].to_numpy()
    return {"spread evenly": allocation(people, np.ones(len(b)), blocks),
            "proportional to population": allocation(people, b["population"].to_numpy(float), blocks)}


def search(study: Study, people: int) -> tuple[np.ndarray, pd.DataFrame]:
    """Optuna TPE over banner weights; returns the best allocation and the trials table."""
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    b = study.city.banners
    blocks = b["block"].to_numpy()
    storage = JournalStorage(JournalFileBackend(str(study.out / "study.log")))
    opt = optuna.create_study(study_name="allocate", storage=storage, direction="minimize", load_if_exists=True,
                              sampler=optuna.samplers.TPESampler(seed=study.s.sampler_seed, multivariate=True))
    keys = [f"w_{code}" for code in b["code"]]
    if not opt.trials:  # start from the naive answers
        opt.enqueue_trial({k: 1.0 for k in keys})
        pop = b["population"].to_numpy(float)
        opt.enqueue_trial({k: float(p / pop.max()) for k, p in zip(keys, pop)})
    seeds = [SEARCH_SEED0 + i for i in range(study.s.search_seeds)]
    batch = max(1, study.jobs // len(seeds))
    names = {"w_" + c: i for i, c in enumerate(b["code"])}

    def done() -> int:
        return sum(t.state == optuna.trial.TrialState.COMPLETE for t in opt.trials)

    seen: set[int] = set()
    while done() < study.s.trials:
        trials = [opt.ask() for _ in range(min(batch, study.s.trials - done()))]
        seen.update(t.number for t in trials)
        extras = []
        for t in trials:
            w = np.zeros(len(b))
            for k in keys:
                w[names[k]] = t.suggest_float(k, 0.0, 1.0)
            extras.append(allocation(people, w, blocks))
        rows = study.run([(f"trial {t.number}", "search", e, s) for t, e in zip(trials, extras) for s in seeds])
        for i, (t, e) in enumerate(zip(trials, extras)):
            values = [r["objective"] for r in rows[i * len(seeds):(i + 1) * len(seeds)]]
            t.set_user_attr("extra", [int(x) for x in e])
            if all(np.isfinite(values)):
                opt.tell(t, float(np.mean(values)))
            else:
                opt.tell(t, state=optuna.trial.TrialState.FAIL)
            print(f"trial {t.number + 1}/{study.s.trials}: objective {np.mean(values):.4g} "
                  f"({len(values)} seeds, {sum(r['cached'] for r in rows[i * len(seeds):(i + 1) * len(seeds)])} "
                  f"runs reused)", flush=True)
    complete = [t for t in opt.trials if t.state == optuna.trial.TrialState.COMPLETE]
    earlier = [t for t in complete if t.number not in seen]  # told in an earlier, resumed session
    if earlier:  # their runs are on disk: read them back into the runs table
        study.run([(f"trial {t.number}", "search", np.array(t.user_attrs["extra"], np.int64), s)
                   for t in earlier for s in seeds])
    table = pd.DataFrame([{"trial": t.number, "objective": t.value, "label": study.label(np.array(t.user_attrs["extra"])),
                           **{f"extra_{c}": x for c, x in zip(b["code"], t.user_attrs["extra"])}} for t in complete])
    best = min(complete, key=lambda t: (t.value, t.number))
    return np.array(best.user_attrs["extra"], dtype=np.int64), table


def confirm(study: Study, candidates: dict[str, np.ndarray]) -> pd.DataFrame:
    """Every candidate on the same fresh seeds; returns their rows."""
    seeds = [CONFIRM_SEED0 + i for i in range(study.s.confirm_seeds)]
    rows = study.run([(name, "confirm", extra, s) for name, extra in candidates.items() for s in seeds])
    return pd.DataFrame(rows)


def gains(runs: pd.DataFrame, weights: dict[str, float], best: str = "recommended") -> pd.DataFrame:
    """The recommended allocation's gain over each other candidate, paired by seed, per measure
    and for the objective (positive: the recommended allocation is lower, i.e. better)."""
    wide = runs.pivot(index="seed", columns="allocation")
    rows = []
    for other in runs["allocation"].unique():
        if other == best:
            continue
        for key in ("objective", *MEASURES):
            g = paired_gain(wide[key][other].to_numpy(), wide[key][best].to_numpy())
            rows.append({"versus": other, "measure": key, "other_mean": float(wide[key][other].mean()),
                         "recommended_mean": float(wide[key][best].mean()), **g})
    return pd.DataFrame(rows)


def realised(study: Study, runs: pd.DataFrame, candidates: dict[str, np.ndarray]) -> pd.DataFrame:
    """Per banner: the planned extra of each candidate and the people the runs really added."""
    b = study.city.banners.copy()
    first = runs[runs["seed"] == runs["seed"].min()].set_index("allocation")["run_dir"]
    base = pd.read_parquet(Path(first["baseline"]) / "banners.parquet")[study.kind.column].to_numpy(float)
    if study.kind.column == "mediators":  # the column counts every tier's mediators: use the census
        b["today"] = b["base"]
    else:
        b["today"] = np.round(base / study.s.scale, 1)  # as the model staffs them (planned: "base")
    for name, extra in candidates.items():
        if name == "baseline":
            continue
        b[f"extra {name}"] = extra
        got = pd.read_parquet(Path(first[name]) / "banners.parquet")[study.kind.column].to_numpy(float)
        b[f"realised {name}"] = np.round((got - base) / study.s.scale, 1)
    b["factor recommended"] = study.factors(candidates["recommended"])
    b["per 10k recommended"] = candidates["recommended"] / b["population"] * 1e4
    return b


def run_study(settings: Settings, out: Path, jobs: int, command: str) -> Path:
    """Census, search, confirmation, tables, map and report; returns the report's path."""
    from experiments.allocate_report import write_report

    t0 = time.time()
    out.mkdir(parents=True, exist_ok=True)
    saved = out / "settings.json"
    if saved.exists():
        old = Settings(**json.loads(saved.read_text()))
        if old.study_key() != settings.study_key():
            raise InputError(f"--out: holds a study of other settings ({saved}); choose another folder, got {str(out)!r}")
    saved.write_text(json.dumps(asdict(settings), indent=2) + "\n")
    study = Study(settings, out, jobs)
    people = settings.people
    best, trials = search(study, people)
    candidates = {"baseline": np.zeros(len(best), np.int64), **naive(study.city, people), "recommended": best}
    runs = confirm(study, candidates)
    table = realised(study, runs, candidates)
    gain = gains(runs, settings.objective)
    every = pd.DataFrame(study.rows).drop(columns=["cached"])
    tables = {"allocation": table, "gains": gain, "runs": every, "trials": trials}
    for name, df in tables.items():
        df.to_parquet(out / f"{name}.parquet", index=False)
    write_tables(out, tables, workbook="allocate")
    return write_report(out, settings, study, table, gain, runs, trials, every, command, time.time() - t0)


# --- command line -------------------------------------------------------------------------------


SIZES = {"trials": (12, 4), "search_seeds": (2, 1), "confirm_seeds": (8, 3), "scale": (1.0, 1.0), "days": (90, 5)}
"""Study sizes: (the default, ``--tiny``)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line and exit status 2, like every bad input
        raise InputError(message)


def parse(argv: list[str]) -> tuple[Settings, Path, int, bool]:
    p = _Parser(prog="python -m experiments.allocate", description=__doc__.splitlines()[0])
    p.add_argument("--kind", default="grid_workers", help=f"staff to add: {', '.join(KINDS)}")
    p.add_argument("--people", type=int, default=500, help="how many to add (default 500)")
    p.add_argument("--yuan", type=float, help="or a yearly budget in yuan (staffing.costs gives the people)")
    p.add_argument("--objective", default="callouts+conversions",
                   help=f"{', '.join(OBJECTIVES)}, or weights like callouts_per_10k=1,settlement_days=2")
    p.add_argument("--trials", type=int, help="allocations the search simulates (default 12)")
    p.add_argument("--search-seeds", type=int, help="seeds per searched allocation (default 2)")
    p.add_argument("--confirm-seeds", type=int, help="fresh seeds for the confirmation (default 8)")
    p.add_argument("--scale", type=float, help="population fraction (default 1)")
    p.add_argument("--days", type=int, help="days per run (default 90)")
    p.add_argument("--sampler-seed", type=int, default=0, help="seed of the TPE sampler (default 0)")
    p.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    p.add_argument("--out", type=Path, default=ROOT / "results" / "allocate", help="output folder")
    p.add_argument("--tiny", action="store_true",
                   help="a quick check: the whole city for 5 days, 4 trials, 1+3 seeds (options given still win; "
                        "below scale 1 a run simulates a sample of townships, which may leave banners out)")
    p.add_argument("overrides", nargs="*", help="Hydra overrides of the scenario (e.g. shocks=epidemic)")
    a = p.parse_args(argv)
    for key, (usual, tiny) in SIZES.items():
        if getattr(a, key) is None:
            setattr(a, key, tiny if a.tiny else usual)
    if a.kind not in KINDS:
        raise InputError(f"--kind: unknown kind {a.kind!r} (choose from {', '.join(KINDS)})")
    weights = _objective(a.objective)
    for key, value, low in (("--trials", a.trials, 3), ("--search-seeds", a.search_seeds, 1),
                            ("--confirm-seeds", a.confirm_seeds, 2), ("--days", a.days, 1), ("--jobs", a.jobs, 1)):
        if value < low:
            raise InputError(f"{key}: must be >= {low}, got {value}")
    if not 0 < a.scale <= 1:
        raise InputError(f"--scale: must be in (0, 1], got {a.scale:g}")
    if KINDS[a.kind].per_centre is not None and a.scale != 1:
        raise InputError(f"--scale: {KINDS[a.kind].label} come in whole people per centre; run at scale 1, got {a.scale:g}")
    for o in a.overrides:
        key = o.split("=", 1)[0].lstrip("+~")
        if key in ("scale", "days"):
            raise InputError(f"{key}: set by --{key}, not as an override, got {o}")
        if key == "seed":
            raise InputError(f"seed: the study chooses the seeds (search 0, 1, ...; confirmation 1000, ...), got {o}")
    scenario([*a.overrides, f"scale={a.scale:g}", f"days={a.days}"])  # bad overrides: one line, before any run
    people = a.people
    if a.yuan is not None:
        people = _people_for(a.yuan, a.kind, a.overrides)
    if people < 1:
        raise InputError(f"--people: must be >= 1, got {people}")
    s = Settings(kind=a.kind, people=people, yuan=a.yuan, objective=weights, trials=a.trials,
                 search_seeds=a.search_seeds, confirm_seeds=a.confirm_seeds, scale=a.scale, days=a.days,
                 sampler_seed=a.sampler_seed, overrides=list(a.overrides))
    return s, a.out, a.jobs, a.tiny


def _objective(text: str) -> dict[str, float]:
    if text in OBJECTIVES:
        return dict(OBJECTIVES[text])
    out = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        if key.strip() not in MEASURES:
            raise InputError(f"--objective: unknown measure {key.strip()!r} (choose from {', '.join(MEASURES)} "
                             f"or a preset: {', '.join(OBJECTIVES)}), got {text!r}")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            raise InputError(f"--objective: {key.strip()} needs a number, got {text!r}") from None
    return out


def _people_for(yuan: float, kind: str, overrides: list[str]) -> int:
    """People a yearly budget pays for, at ``staffing.costs`` (yuan a year per person)."""
    unit = float(config_value(scenario(overrides).staffing.costs, KINDS[kind].cost))
    people = int(yuan // unit)
    if people < 1:
        raise InputError(f"--yuan: pays for no {KINDS[kind].label} at {unit:,.0f} yuan a year each, got {yuan:g}")
    return people


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = "python -m experiments.allocate " + " ".join(shlex.quote(a) for a in argv)
    try:
        settings, out, jobs, _ = parse(argv)
        report = run_study(settings, out, jobs, command.strip())
    except (InputError, ShouwangError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"report: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
