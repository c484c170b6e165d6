"""The runs of an allocation study: kinds of staff, one run's measures, the census of the city.

A run is one scenario (the study's overrides, a seed and an allocation as ``staffing.by_banner``
factors) in its own folder; :func:`evaluate` reuses a finished run of the same overrides, which
is what makes a study resumable. Reads only the run contract (``summary.json``,
``banners.parquet``, ``disputes.parquet``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import yaml
from joblib import Parallel, delayed

from sim.errors import ShouwangError

if TYPE_CHECKING:
    from experiments.allocate import Settings


class InputError(ValueError):
    """Bad input: printed as one line, exit status 2."""


@dataclass(frozen=True)
class Kind:
    """A kind of staff a planner can add: its factor key, its column in banners.parquet, its cost."""

    factor: str  # StaffFactors field (staffing.by_banner.<banner>.<factor>)
    column: str  # banners.parquet column counting them
    label: str
    per_centre: str | None = None  # staffing key of people per centre/post (whole people per place)
    cost: str = ""  # staffing.costs key (yuan a year)


KINDS = {
    "grid_workers": Kind("grid_workers", "grid_workers", "grid workers", None, "grid_worker"),
    "village_mediators": Kind("village", "mediators", "village mediators", "mediators.village", "mediator.village"),
    "township_mediators": Kind("township", "mediators", "township mediators", "mediators.township",
                               "mediator.township"),
    "banner_mediators": Kind("banner", "mediators", "banner mediators", "mediators.banner", "mediator.banner"),
    "police_officers": Kind("police_officers", "police_officers", "police officers", "police_officers_per_post",
                            "police_officer"),
}
MEASURES = ("callouts_per_10k", "conversions_per_10k", "settlement_days")

def by_banner_override(names: list[str], factors: np.ndarray, factor_key: str) -> list[str]:
    """The Hydra override giving each banner with a factor other than 1 its factor."""
    items = [f"{n}: {{{factor_key}: {f:.10g}}}" for n, f in zip(names, factors) if abs(f - 1.0) > 1e-12]
    return [f"+staffing.by_banner={{{', '.join(items)}}}"] if items else []


# --- runs ---------------------------------------------------------------------------------------


def run_measures(run_dir: Path) -> dict[str, float]:
    """The objective's measures of one run (from the run contract), per 10,000 residents a year."""
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    years = float(summary["days"]) / 365.0
    pop = float(summary["population"])
    disputes = pd.read_parquet(run_dir / "disputes.parquet", columns=["outcome", "created_day", "closed_day"])
    done = disputes[disputes["outcome"] == "resolved"]
    return {
        "callouts_per_10k": summary["police_incidents"] / pop * 1e4 / years,
        "conversions_per_10k": summary["disputes"]["criminal"] / pop * 1e4 / years,
        "settlement_days": float((done["closed_day"] - done["created_day"]).mean()) if len(done) else float("nan"),
        "created": int(summary["disputes"]["created"]),
        "runtime_s": float(summary.get("runtime_s", float("nan"))),
    }


def evaluate(overrides: list[str], run_dir: str) -> dict:
    """Run one scenario into ``run_dir`` unless a finished run of the same scenario is there.

    "The same" means the same overrides and the same resolved configuration (``config_sha256``):
    a run made before the scenario files or the calibration changed is run again.
    """
    from sim.api import simulate
    from sim.results import complete_with

    path = Path(run_dir)
    saved = path / ".hydra" / "overrides.yaml"
    cached = (saved.is_file() and yaml.safe_load(saved.read_text()) == overrides
              and complete_with(path, scenario(overrides)))
    if not cached:
        simulate(overrides, run_dir=path)
    return {**run_measures(path), "run_dir": str(path), "cached": cached}


@dataclass
class City:
    """What the allocation needs per banner, measured from census runs of the scenario."""

    banners: pd.DataFrame  # code, banner, population (full scale), base (people of the kind), block
    per_centre: float | None  # people of the kind per centre or post (tiered kinds)


class Study:
    """The runs of one allocation study, in ``out``."""

    def __init__(self, settings: Settings, out: Path, jobs: int) -> None:
        self.s, self.out, self.jobs = settings, out, jobs
        self.kind = KINDS[settings.kind]
        self.common = [*settings.overrides, f"scale={settings.scale:g}", f"days={settings.days}"]
        self.city = self._census()
        self.rows: list[dict] = []  # every evaluation: label, phase, seed, measures

    def _census(self) -> City:
        """Population, grids and staff of the kind per banner from a one-day run; for kinds with
        whole people per centre, a second one-day run with one more per centre everywhere
        counts the centres (or posts) of each banner."""
        s = scenario(self.common).staffing
        census = [*self.common[:-1], "days=1"]
        base = evaluate(census, str(self.out / "census" / "base"))
        b = pd.read_parquet(Path(base["run_dir"]) / "banners.parquet")
        frame = pd.DataFrame({"code": b["code"].astype(str), "banner": b["banner"],
                              "population": b["population"].to_numpy(float) / self.s.scale})
        per = None
        if self.kind.per_centre is None:
            frame["base"] = b["grids"].to_numpy(float) * s.grid_workers_per_grid
            frame["block"] = 1
        else:
            per = float(config_value(s, self.kind.per_centre))
            one_more = (per + 1.0) / per
            probe = evaluate([*census, *by_banner_override(list(frame["banner"]), np.full(len(frame), one_more),
                                                           self.kind.factor)],
                             str(self.out / "census" / "one_more_per_centre"))
            p = pd.read_parquet(Path(probe["run_dir"]) / "banners.parquet")
            centres = (p[self.kind.column].to_numpy() - b[self.kind.column].to_numpy()).astype(np.int64)
            frame["block"] = np.maximum(centres, 1)
            frame["base"] = centres * per
        return City(frame, per)

    def factors(self, extra: np.ndarray) -> np.ndarray:
        base = self.city.banners["base"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(extra > 0, 1.0 + extra / np.maximum(base, 1e-9), 1.0)

    def overrides(self, extra: np.ndarray, seed: int) -> list[str]:
        names = list(self.city.banners["banner"])
        return [*self.common, f"seed={seed}", *by_banner_override(names, self.factors(extra), self.kind.factor)]

    def label(self, extra: np.ndarray) -> str:
        if not extra.any():
            return "baseline"
        return "alloc-" + hashlib.sha256(np.asarray(extra, np.int64).tobytes()).hexdigest()[:10]

    def run(self, jobs: list[tuple[str, str, np.ndarray, int]]) -> list[dict]:
        """Evaluate (name, phase, extra, seed) jobs in parallel; record and return their rows."""
        specs = [(self.overrides(extra, seed), str(self.out / "runs" / self.label(extra) / f"seed_{seed}"))
                 for _, _, extra, seed in jobs]
        # two trials may propose the same allocation: one run per folder (two at once would clash)
        unique = list({d: o for o, d in specs}.items())
        if self.jobs == 1 or len(unique) == 1:
            done = [evaluate(o, d) for d, o in unique]
        else:
            done = Parallel(n_jobs=self.jobs)(delayed(evaluate)(o, d) for d, o in unique)
        by_folder = {d: r for (d, _), r in zip(unique, done)}
        results = [by_folder[d] for _, d in specs]
        rows = []
        for (name, phase, extra, seed), r in zip(jobs, results):
            row = {"allocation": name, "phase": phase, "seed": seed, "label": self.label(extra),
                   **{k: r[k] for k in (*MEASURES, "created", "runtime_s")}, "run_dir": r["run_dir"], "cached": r["cached"]}
            row["objective"] = objective(row, self.s.objective)
            rows.append(row)
        self.rows.extend(rows)
        return rows


def objective(measures: dict, weights: dict[str, float]) -> float:
    """The weighted sum to minimise (NaN measures count as NaN: the run is not comparable)."""
    return float(sum(w * measures[k] for k, w in weights.items()))


def scenario(overrides: list[str]):
    """The checked :class:`~sim.config.Config` of ``overrides``; bad input raises ShouwangError
    with the one line ``python -m sim`` prints."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    from sim.api import compose_config
    from sim.cli import explain
    from sim.hydra_conf import to_config

    try:
        return to_config(compose_config(overrides))
    except (HydraException, OmegaConfBaseException) as exc:
        raise ShouwangError(explain(exc, list(overrides))[0]) from exc


def config_value(obj, dotted: str):
    """``obj.a.b`` for ``dotted`` = ``"a.b"`` (a staffing key such as ``mediators.township``)."""
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj
