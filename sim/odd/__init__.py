"""The model description (ODD protocol, Grimm et al. 2020) generated from the code.

``python -m sim.odd [overrides...] [--out FILE]`` prints the description of the scenario as
composed (the same overrides as ``python -m sim``); :func:`write_model_md` writes it into a run
folder. Nothing in it is typed by hand twice: the schedule is read from
:meth:`ShouwangModel.step <sim.model.ShouwangModel.step>` (each call with its docstring), the
submodels from the mechanism catalogue (:mod:`sim.mechanisms`), every parameter's unit, source
and range from :mod:`sim.mechanisms.sources`, the counts from the world and staff the scenario
builds. A key or a mechanism missing from the catalogue or the sources shows up here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import simpy

from sim.config import PLACE_MODELS, TIERS, Config
from sim.disputes import Dispute
from sim.mechanisms import mechanisms
from sim.mechanisms.catalogue import PHASES
from sim.mechanisms.governance import ModelTable
from sim.mechanisms.sources import SOURCE_KINDS, SOURCES, schema_keys
from sim.model import STREAMS, ShouwangModel
from sim.odd.schedule import Call, first_line, schedule, tiny_model
from sim.odd.values import cell, fmt, key_table, outside, value_of
from sim.staffing import build_staff
from sim.world import build_city, load_banner_table
from sim.world.routing import places_from_graph
from sim.world.sample import sample_stream, sample_townships

ART = "article (Hulunbuir governance review, 2023)"
PATTERNS = (
    ("disputes mediated by mediation bodies of all levels", "43,475 cases", "`mediated_cases`", "calibration target"),
    ("mediation success rate", "99.7%", "`mediation_success_rate`", "calibration target"),
    ("residents' satisfaction with public safety (平安建设满意度)", "99.33%", "`satisfaction`", "calibration target"),
    ("telecom and online fraud (电信网络诈骗)", "3.6 cases a day, from a historic peak of 30",
     "`fraud_cases_per_day` (baseline and `governance=pre_reform`)", "calibration target"),
    ("the eight major criminal case categories (八类主要刑事案件)", "-12.13% year on year",
     "`serious_crimes` (background + civil-to-criminal conversions; `by_year` over a timeline)", "check"),
    ("homicides", "-22.5% year on year, lowest on record", "`disputes.criminal` (conversions)",
     "direction only: homicides are not told apart"),
)
"""The article's 2022 outcomes: the patterns the model is calibrated to or checked against."""

__all__ = ["describe", "fmt", "key_table", "main", "outside", "schedule", "value_of", "write_model_md"]


# --- the description ------------------------------------------------------------------------------


def _counts(cfg: Config, model: ShouwangModel | None) -> dict[str, Any]:
    """Places and staff of the composed scenario: a run's own, or built as a run builds them."""
    if model is not None:
        world, staff = model.world, model.staff
    else:
        world_rng = np.random.default_rng(np.random.SeedSequence(cfg.seed).spawn(len(STREAMS))[0])
        # scale < 1: the sample of whole townships a run would simulate (sim.world.sample)
        sample = sample_townships(build_city(cfg.city, world_rng), cfg.scale, sample_stream(cfg.seed))
        world = sample.world
        places = places_from_graph(world.graph)
        weights = ModelTable(cfg).kind_mix[places.grid_own_model].T @ places.grid_population.astype(float)
        staff = build_staff(mesa.Model(), simpy.Environment(), cfg, world, places, weights, world_rng,
                            sample=sample)
    return {"world": world, "staff": staff, "residents": int(world.population)}


def _entities(cfg: Config, model: ShouwangModel | None) -> list[str]:
    c = _counts(cfg, model)
    world, staff = c["world"], c["staff"]
    tiny = tiny_model()
    per_tier = staff.mediators_by_tier()
    centres = staff.centre_counts()

    def state(obj: Any) -> str:
        names = list(getattr(obj, "__slots__", ())) or list(vars(obj))
        return ", ".join(n for n in names if n not in ("model", "unique_id", "pos", "env") and not n.startswith("_"))

    agents = {t.__name__: (t, next(iter(s))) for t, s in tiny.agents_by_type.items()}
    rows = [
        ("city → banners → townships → villages/communities → grids", "the hierarchy (networkx tree; places "
         "and travel distances are read from it)", f"1 → {len(world.banners)} → {len(world.townships)} → "
         f"{len(world.villages)} → {len(world.grids)}",
         "; ".join(f"{level}: {', '.join(getattr(world, level).columns)}"
                   for level in ("banners", "townships", "villages", "grids"))),
        ("residents", first_line(type(tiny.population)), f"{c['residents']:,} (population "
         f"{world.population:,} x scale 1)" if cfg.scale >= 1 else f"{c['residents']:,} (every resident of the "
         f"{len(world.townships)} townships sampled at scale {cfg.scale:g})", state(tiny.population)),
        ("grid workers (`GridWorker`)", first_line(agents["GridWorker"][0]), f"{staff.workforce.count:,}",
         state(agents["GridWorker"][1])),
        ("mediation centres (`MediationCentre`)", first_line(agents["MediationCentre"][0]),
         " · ".join(f"{t} {centres[t]:,}" for t in TIERS) + " (city: one centre, 18 workstations)",
         state(agents["MediationCentre"][1])),
        ("mediators (`Mediator`)", first_line(agents["Mediator"][0]),
         " · ".join(f"{t} {per_tier[t]:,}" for t in TIERS), state(agents["Mediator"][1])),
        ("police posts (`PolicePost`)", first_line(agents["PolicePost"][0]), f"{len(staff.posts):,}",
         state(agents["PolicePost"][1])),
        ("basic courts (`Court`)", first_line(agents["Court"][0]), f"{len(staff.courts):,}",
         state(agents["Court"][1])),
        ("disputes (`Dispute`)", first_line(Dispute), "arise each day (none at day 0)", state(Dispute)),
    ]
    lines = ["| entity | what it is | count in this scenario | state variables |", "| --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(cell(x) for x in row) + " |" for row in rows]
    lines += ["", f"Scales: one step is one day ({cfg.days} days, day 0 = {cfg.timeline.start}); inside a day SimPy runs "
              "continuous time (queues, sessions, travel, police response, court). Space is the hierarchy: "
              "distances in km between places come from the graph (no grid space). `scale` "
              f"= {cfg.scale:g}: below 1 a stratified random sample of whole townships holding about that "
              "share of the population, staffed locally as at scale 1, with banner centres, the city centre "
              "and courts staffed in proportion and figures weighted to the city; governance models "
              f"{', '.join(PLACE_MODELS)} act per grid."]
    return lines


def _schedule_lines() -> list[str]:
    lines = ["Each Mesa step (one day) runs `ShouwangModel.step`; the calls in the order they run "
             "(read from the source, each with its docstring):", ""]

    def line(call: Call) -> str:
        when = f" (only if `{call.when}`)" if call.when else ""
        return f"`{call.expr}`{when} → `{call.target}`: {call.doc or '(no docstring)'}"

    for i, call in enumerate(schedule(), 1):
        lines.append(f"{i}. {line(call)}")
        lines += [f"    - {line(sub)}" for sub in call.calls]
    by_phase = {p: [m.name for m in mechanisms() if m.phase == p] for p in PHASES}
    lines += ["", "Mechanisms by phase (setup builds the world and its staff before day 0; arrival, detection and "
              "the day's rounds of residents, grid workers and fraud run in the step itself; settlement to closure "
              "are SimPy processes run by `env.run` within the day; accounting follows the run; section 7):", ""]
    lines += [f"- {p}: {', '.join(f'`{n}`' for n in names)}" for p, names in by_phase.items() if names]
    return lines


def _design(cfg: Config) -> list[str]:
    r, d, med = cfg.residents, cfg.disputes, cfg.mediation
    return [
        "- **Basic principles.** Disputes handled early and low (小事不出网格, the Fengqiao experience) "
        "cost less and end better; the reform added detection (grid workers, neighbour heads, herder "
        "sentinels, police in the grid) and centres at four levels. Mediation tiers are queues (Erlang C "
        "and Little's law hold in the check mode `validation=tandem`/`mmc`).",
        "- **Emergence.** Mediated cases, success and satisfaction rates, waits, escalations and "
        "civil-to-criminal conversions emerge from arrivals, detection, queues and routing; none is set.",
        f"- **Adaptation.** Parties withdraw when a queue outlasts their patience (mean {fmt(med.patience_days)} "
        "days); dispatch picks the tier by intensity; the city centre's least busy workstation takes a case.",
        "- **Objectives.** Agents do not optimise; mediators serve first come, first served.",
        f"- **Learning.** Residents' trust moves towards each closure's satisfaction (rate "
        f"{fmt(r.trust_learning)}); a bad closure raises tension (x{fmt(r.tension_feedback)}), so more disputes.",
        "- **Prediction.** None.",
        "- **Sensing.** Detection channels see a latent dispute in proportion to its visibility, which rises "
        "with intensity; the police grid only above an intensity.",
        "- **Interaction.** Two residents per dispute; residents with grid workers, neighbour heads, "
        "mediators, police and courts through the dispute; staff compete for nothing but queue time.",
        f"- **Stochasticity.** Independent streams spawned from `seed` ({', '.join(STREAMS)}) by "
        "`np.random.SeedSequence`: two scenarios with the same seed share their world and arrivals. Poisson "
        f"arrivals, lognormal intensity (sigma {fmt(d.intensity_noise)}) and growth, exponential sessions and "
        "patience, Bernoulli detection and settlement.",
        "- **Collectives.** Grids, villages, townships and banners (places); the six governance models; "
        "the city centre's 18 workstations by kind of dispute.",
        "- **Observation.** A run writes `disputes.parquet` (one row per dispute), `visits.parquet` (one "
        "row per place that handled it), `daily.parquet`, `banners.parquet` and `summary.json`.",
    ]


def _input_data(cfg: Config) -> list[str]:
    if cfg.city.kind != "table":
        return [f"None: the synthetic county `{cfg.city.name}` is generated from its settings (population "
                f"{cfg.city.population:,}, {cfg.city.townships} townships, ~{cfg.city.villages_per_township} "
                "villages each, model mix `city.model_mix`) and the seed. No time series are read."]
    t = load_banner_table(cfg.city.table)
    cols = ["code", "name_en", "name_zh", "population_2020", "area_km2", "townships", "villages_communities",
            "primary_model", "population_note", "source"]
    cols = [c for c in cols if c in t.columns]
    lines = [f"The banner table `{cfg.city.table}` (one row per banner; every figure with its source):", "",
             "| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    lines += ["| " + " | ".join(cell(fmt(row[c]) if not isinstance(row[c], str) else row[c]) for c in cols)
              + " |" for _, row in t.iterrows()]
    lines += ["", "Township and village populations, areas and positions are not published: they are allocated "
              "inside each banner by seeded weights. No time series are read."]
    return lines


def describe(cfg: Config, overrides: list[str] | None = None, model: ShouwangModel | None = None) -> str:
    """The ODD description of a composed scenario, as Markdown.

    Args:
        cfg: the scenario as composed.
        overrides: the overrides that composed it (named in the header).
        model: a run's model, to take the counts of places and staff from (else they are built).
    """
    keys = list(schema_keys())
    declared = [k for m in mechanisms() for k in m.keys]
    kinds = {k: sum(SOURCES[key].kind == k for key in keys if key in SOURCES) for k in SOURCE_KINDS}
    out = [
        "# Shouwang 守望: model description (ODD)", "",
        f"Scenario: city `{cfg.city.name}` · governance `{cfg.governance.name}` (applied: "
        f"`{cfg.governance.apply}`) · staffing `{cfg.staffing.name}` · shocks `{cfg.shocks.name}` · policy "
        f"`{cfg.policy.name}` · timeline `{cfg.timeline.name}` · validation `{cfg.validation.mode}` · seed {cfg.seed} · {cfg.days} days · "
        f"scale {cfg.scale:g}. Overrides: {' '.join(f'`{o}`' for o in overrides) if overrides else '(none)'}.",
        "",
        "Generated by `python -m sim.odd` from the code, following the ODD protocol (Grimm et al. 2020, "
        "JASSS 23(2) 7): the schedule from `ShouwangModel.step`, the submodels from the mechanism "
        "catalogue (`sim/mechanisms/`), each parameter's unit, source and plausible range from "
        "`sim/mechanisms/sources/`. Of the "
        f"{len(keys)} configuration keys, " + ", ".join(f"{n} are `{k}`" for k, n in kinds.items()) + ".",
        "",
        "## 1. Purpose and patterns", "",
        "Shouwang simulates Hulunbuir's (呼伦贝尔) multi-tier social governance: how disputes between "
        "residents arise, are found by grid workers and other channels, settled on the spot or mediated at "
        "village, township, banner and city centres, or go to the police, courts or petitions; and how "
        "staffing, the six classified governance models and shocks change the outcomes. It is for "
        "planners (where to put staff), researchers (which mechanism matters) and trainers.", "",
        f"Patterns ({ART}, 2022):", "",
        "| pattern | value | model output (`summary.json`) | use |", "| --- | --- | --- | --- |",
        *[f"| {p} | {v} | {o} | {u} |" for p, v, o, u in PATTERNS], "",
        "## 2. Entities, state variables and scales", "", *_entities(cfg, model), "",
        "## 3. Process overview and scheduling", "", *_schedule_lines(), "",
        "## 4. Design concepts", "", *_design(cfg), "",
        "## 5. Initialization", "",
        f"The world is built from `city` (kind `{cfg.city.kind}`) with the world stream of seed {cfg.seed}; "
        "residents' tension, trust and fraud awareness are drawn from Beta distributions around their means "
        "(concentration `residents.concentration`), their willingness to report from Beta(2, 2); staff are "
        "placed per centre, post and court as in section 2. The day-0 state holds no disputes (no warm-up: "
        "the latent pool fills over the first weeks).", "",
        *key_table(cfg, [k for k in keys if k.startswith(("residents.", "staffing.", "city.", "governance."))
                         and not k.startswith(("staffing.costs", "staffing.by_", "governance.models"))]), "",
        "## 6. Input data", "", *_input_data(cfg), "",
        "## 7. Submodels", "",
    ]
    for i, m in enumerate(mechanisms(), 1):
        zh = f" ({m.zh})" if m.zh else ""
        out += [f"### 7.{i} `{m.name}`{zh}", "", f"Phase: {m.phase} (code: `{m.module}`). {m.does}", ""]
        out += key_table(cfg, list(m.keys)) if m.keys else ["(no parameters)"]
        out.append("")
    settings = [k for k in keys if k not in declared]
    undeclared = [k for k in settings if k not in SOURCES or SOURCES[k].kind != "setting"]
    out += ["### Settings", "",
            "Keys that choose the run or the scenario (seed, days, presets, the check mode) and set no mechanism:",
            "", *key_table(cfg, settings), ""]
    if undeclared:  # a model parameter that no catalogue entry reads (tests/unit/test_catalogue.py fails too)
        out += [f"MISSING: parameters no mechanism declares: {', '.join(undeclared)}", ""]
    out += ["## Appendix: every configuration key", "", *key_table(cfg, keys)]
    return "\n".join(out) + "\n"


def write_model_md(cfg: Config, run_dir: str | Path, overrides: list[str] | None = None,
                   model: ShouwangModel | None = None) -> Path:
    """Write ``model.md`` (the ODD description of ``cfg``) into a run folder; return its path.

    Pass the run's ``model`` to take the counts from it instead of building the world again.
    """
    path = Path(run_dir) / "model.md"
    _write(path, describe(cfg, overrides, model))
    return path


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")  # never a half-written description under the real name
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> None:
    """``python -m sim.odd [overrides...] [--out FILE]``; bad input: one line, exit status 2."""
    from sim.cli import BAD_INPUT, debug, explain  # entry point only: Hydra stays out of the engine

    parser = argparse.ArgumentParser(prog="python -m sim.odd", description=__doc__.splitlines()[0])
    parser.add_argument("overrides", nargs="*", help="Hydra overrides, as for python -m sim")
    parser.add_argument("--out", help="also write the description to this file")

    def refuse(message: str) -> None:
        print(f"error: command line: {message}", file=sys.stderr)
        sys.exit(BAD_INPUT)

    parser.error = refuse  # type: ignore[method-assign,assignment]
    args = parser.parse_args(argv)
    try:
        from sim.api import compose_config
        from sim.hydra_conf import to_config

        cfg = to_config(compose_config(args.overrides))
        text = describe(cfg, args.overrides)
    except Exception as exc:
        if debug():
            raise
        message, status = explain(exc, args.overrides)
        print(f"error: {' '.join(message.split())}", file=sys.stderr)
        sys.exit(status)
    if args.out:
        _write(Path(args.out), text)
    sys.stdout.write(text)
