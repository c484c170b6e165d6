"""Shouwang against a per-agent reference in plain Mesa: the same resident behaviour, per resident-day.

The reference makes every resident a ``mesa.Agent`` and steps them all every day with
``model.agents.shuffle_do("step")`` -- the textbook Mesa way. Each resident's daily step does what
Shouwang's arrays do for the whole population (``sim.mechanisms.arrivals``,
``sim.agents.grid_workers``, ``sim.agents.residents``), in the same order, with the same
parameters (the config and the governance models' table, ``ModelTable``) and the same starting
state (copied from a Shouwang model built for the same scenario and seed):

- a dispute arises with the grid's daily candidate rate (its place's own model's rate and kind
  mix, each kind's season, inflated by the starting mean tension), thinned by the resident's own
  tension (a Poisson stream per grid and kind with a random party, then the same thinning, in
  Shouwang);
- while the anti-fraud campaign runs, the grid workers' household visits give anti-fraud talks:
  one reaches the resident with chance ``1 - exp(-talks/residents)`` of the grid (Shouwang draws
  Poisson-many talks per grid, each to a random resident) and raises awareness by the grid's
  governance model's ``fraud_awareness_visit``;
- the police campaign reaches them with its daily chance and raises awareness by ``campaign_boost``;
- a fraud attempt targets them with its daily chance and succeeds with ``success * (1 -
  awareness)``; a victim's trust is multiplied by ``victim_trust`` and awareness raised by
  ``victim_awareness``;
- every raise of awareness lifts the resident's lasting floor to ``awareness_memory`` x the raised
  awareness (if higher);
- tension and awareness relax towards their baseline and floor at the end of the day (eagerly,
  ``x *= exp(-1/tau)``: the per-agent equivalent of Shouwang's lazy ``exp(-age/tau)`` on read;
  relaxing after the day's events makes the values read on day ``d`` equal Shouwang's).

Engine v2 changed three pieces of this behaviour, mirrored here: awareness has a lasting floor
that each raise lifts (``residents.awareness_memory``; it was half the starting awareness, fixed);
a victim's trust and awareness change by ``fraud.victim_trust`` and ``fraud.victim_awareness``
(0.95 and 0.5, hard-coded before); each kind has its own seasonal peak
(``disputes.kinds.*.season_peak_day``). The reference also now takes arrivals by the grid's own
place model and visit boosts by its governance model, as Shouwang does (they differ only when a
model is applied everywhere or per banner), and gives talks only while the campaign runs. Shocks
(an epidemic, dispute surges) are not mirrored: the reference refuses a scenario that has any.

The reference does nothing else: the disputes it creates are only counted, not detected,
mediated or closed. Shouwang's day is its whole model (arrivals, latent growth, detection, the
dispute flow through mediation, police and court, the daily record): the comparison favours the
reference. Each side runs in a fresh child pinned to one core at the same scale, and the same
things are timed on both sides:

- per resident-day (the target's figure): the days stepped, wall (and CPU) time over residents x
  days, each side's model build excluded;
- a whole year: each side's build plus its year (the reference's stepped days extrapolated to
  365), with Shouwang's tables and run folder written too.

(Until this version the per-resident-day figure set the reference's stepping, build excluded,
against Shouwang's whole run, build, tables and run folder included: ~0.16 s of Shouwang's 0.69 s
at scale 0.05. That figure is still printed and saved, as "asymmetric".)

Run: ``python -m experiments.bench.reference_mesa [--scales 0.05 0.2 1] [--resident-days 9e6]``
(the reference steps ~9 million resident-days at each scale: 80 days at 0.05, 4 at full scale,
where it holds 2.24 million Mesa agents, ~1.6 GB).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence

from experiments.bench.measure import ROOT, child_run, measure


def build_reference(scale: float, seed: int = 0, overrides: Sequence[str] = ()):
    """A Mesa model with one agent per resident, in the state a Shouwang model starts in.

    Args:
        scale: the scenario's scale (as ``scale=`` on the command line).
        seed: the run's seed; the reference's own draws come from ``mesa.Model(rng=seed)``.
        overrides: further Hydra overrides (e.g. ``city=demo_county``) for both sides' scenario.

    Raises:
        ValueError: if the scenario has a shock (an epidemic or a dispute surge), which the
            reference does not mirror.
    """
    import mesa
    import numpy as np

    from sim.api import compose_config
    from sim.disputes import seasonality
    from sim.hydra_conf import to_config
    from sim.model import ShouwangModel

    cfg = to_config(compose_config([f"scale={scale}", f"seed={seed}", *overrides]))
    ours = ShouwangModel(cfg)  # for the world, the parameters and the residents' starting state
    if ours.shocks.surges or cfg.shocks.epidemic.days > 0:
        raise ValueError("the Mesa reference does not mirror shocks; run it on a scenario without any")
    pop, p = ours.population, ours.p
    rp, f, d, s = cfg.residents, cfg.fraud, cfg.disputes, cfg.staffing
    campaign = bool(cfg.governance.anti_fraud_campaign)
    grid_of = np.repeat(np.arange(len(pop.per_grid)), pop.per_grid)
    place_model = ours.places.grid_own_model  # what arises: the place's own model
    governed_by = ours.grid_model  # how it is governed: the visit's awareness boost
    # Poisson-many talks per grid (while the campaign runs), each to a random resident of the grid
    talks = ours.workforce.visits(s.visits_per_worker_day, s.duty_load) * float(campaign)
    visit_p = -np.expm1(-talks / np.maximum(pop.per_grid, 1))
    visit_boost = p.fraud_awareness_visit[governed_by]
    rate = d.rate_per_10k / 1e4 / 365.0 * p.dispute_rate  # per place model
    mean_tension = max(pop.mean_tension_start, 1e-6)

    class Reference(mesa.Model):
        def __init__(self) -> None:
            super().__init__(rng=seed)
            self.day = 0
            self.tension_keep = math.exp(-1.0 / rp.tension_decay_days)
            self.awareness_keep = math.exp(-1.0 / rp.awareness_decay_days)
            self.memory = rp.awareness_memory
            self.campaign_p = -math.expm1(-f.campaign_reach_per_10k_day / 1e4) if campaign else 0.0
            self.attempt_p = -math.expm1(-f.attempts_per_10k_day / 1e4)
            self.disputes = 0
            self.by_kind = [0] * p.kind_mix.shape[1]
            self.fraud_cases = 0
            self.candidate_p: list[float] = []
            self.candidate_kinds: list[list[float]] = []

        def step(self) -> None:
            season = seasonality(self.day, d.seasonality, p.season_peak)
            per_kind = rate[:, None] * p.kind_mix * season[None, :] / mean_tension
            total = per_kind.sum(axis=1)
            self.candidate_p = (-np.expm1(-total)).tolist()
            self.candidate_kinds = (per_kind / total[:, None]).cumsum(axis=1).tolist()
            self.agents.shuffle_do("step")
            self.day += 1

    class Resident(mesa.Agent):
        def __init__(self, model, grid, place_model, tension, trust, awareness, floor, vp, boost):
            super().__init__(model)
            self.grid = grid
            self.place_model = place_model
            self.tension_base = tension
            self.tension_excess = 0.0
            self.trust = trust
            self.awareness = awareness
            self.awareness_floor = floor
            self.visit_p = vp
            self.visit_boost = boost
            self.disputes = 0

        def raise_awareness(self, boost: float) -> None:
            self.awareness = 1 - (1 - self.awareness) * (1 - boost)
            self.awareness_floor = max(self.awareness_floor, self.model.memory * self.awareness)

        def step(self) -> None:
            m = self.model
            rand = m.random.random
            # a dispute arises, thinned by this resident's tension; its kind from the day's mix
            if rand() < m.candidate_p[self.place_model] and rand() < self.tension_base + self.tension_excess:
                u = rand()
                cumulative = m.candidate_kinds[self.place_model]
                kind = next((k for k, c in enumerate(cumulative) if u <= c), len(cumulative) - 1)
                self.disputes += 1
                m.disputes += 1
                m.by_kind[kind] += 1
            # the grid worker's anti-fraud talk and the police campaign raise awareness
            if rand() < self.visit_p:
                self.raise_awareness(self.visit_boost)
            if rand() < m.campaign_p:
                self.raise_awareness(f.campaign_boost)
            # a fraud attempt against this resident
            if rand() < m.attempt_p and rand() < f.success * (1 - self.awareness):
                m.fraud_cases += 1
                self.trust *= f.victim_trust
                self.raise_awareness(f.victim_awareness)
            # the day over, relax towards the baselines
            self.tension_excess *= m.tension_keep
            self.awareness = self.awareness_floor + (self.awareness - self.awareness_floor) * m.awareness_keep

    model = Reference()
    for i in range(pop.n):
        g = int(grid_of[i])
        Resident(model, g, int(place_model[g]), float(pop.tension_base[i]), float(pop.trust[i]),
                 float(pop.awareness[i]), float(pop.awareness_floor[i]), float(visit_p[g]),
                 float(visit_boost[g]))
    return model


def _child(scale: float, days: int) -> None:
    import mesa  # noqa: F401 -- imports are not part of either side's build

    import sim.model  # noqa: F401

    t0 = time.perf_counter()
    model = build_reference(scale)
    t1, c1 = time.perf_counter(), time.process_time()
    for _ in range(days):
        model.step()
    t2, c2 = time.perf_counter(), time.process_time()
    n = len(model.agents)
    print(json.dumps({"residents": n, "days": days, "build_s": t1 - t0, "steps_s": t2 - t1,
                      "steps_cpu_s": c2 - c1,
                      "disputes": model.disputes, "fraud_cases": model.fraud_cases}))


def _ours_child(scale: float, days: int) -> None:
    """Shouwang's build and days alone (no tables, no run folder), timed like the reference's."""
    from sim.api import compose_config
    from sim.checks import check
    from sim.hydra_conf import to_config
    from sim.model import ShouwangModel

    cfg = to_config(compose_config([f"scale={scale}", f"days={days}"]))
    check(cfg)
    t0 = time.perf_counter()
    model = ShouwangModel(cfg)
    t1, c1 = time.perf_counter(), time.process_time()
    for _ in range(days):
        model.step()
    t2, c2 = time.perf_counter(), time.process_time()
    print(json.dumps({"residents": model.population.n, "days": days, "build_s": t1 - t0, "steps_s": t2 - t1,
                      "steps_cpu_s": c2 - c1, "disputes": model.created}))


def _timed_child(flag: str, scale: float, days: int) -> dict:
    """One side (``--ours`` or ``--child``) in a pinned child: build and stepping times, peak RSS."""
    out, wall, rss = child_run([sys.executable, "-m", "experiments.bench.reference_mesa", flag,
                                str(scale), str(days)])
    figures = json.loads(out.strip().splitlines()[-1])
    figures.update(process_s=wall, rss_mb=rss)
    return figures


def ours_days(scale: float, days: int = 365) -> dict:
    """Shouwang's build and stepping times in a pinned child (the same split as the reference's)."""
    return _timed_child("--ours", scale, days)


def reference(scale: float, days: int) -> dict:
    """The Mesa reference in a pinned child: build and stepping times, peak RSS."""
    return _timed_child("--child", scale, days)


def compare(scale: float, days: int) -> dict:
    """Reference and Shouwang at one scale, each in its own pinned child; figures per resident-day."""
    ref = reference(scale, days)
    step = ours_days(scale)  # build and days alone
    ours = measure([f"scale={scale}", "days=365"])  # the whole run: build, days, tables, run folder
    n = ref["residents"]
    ref_ns = ref["steps_s"] / (n * ref["days"]) * 1e9
    ref_cpu_ns = ref["steps_cpu_s"] / (n * ref["days"]) * 1e9
    ours_ns = step["steps_s"] / (step["residents"] * step["days"]) * 1e9
    ours_cpu_ns = step["steps_cpu_s"] / (step["residents"] * step["days"]) * 1e9
    ref_year_s = ref["build_s"] + ref["steps_s"] / ref["days"] * 365
    whole_ns = ours["run_s"] / (ours["population"] * 365) * 1e9
    print(f"scale {scale}: {n:,} residents")
    print(f"  plain Mesa reference: {ref['days']} days stepped in {ref['steps_s']:.2f} s "
          f"= {ref_ns:,.0f} ns per resident-day; build {ref['build_s']:.2f} s; a year (build + 365 days) "
          f"{ref_year_s:.0f} s; peak RSS {ref['rss_mb']:.0f} MB; {ref['disputes']:,} disputes, "
          f"{ref['fraud_cases']:,} fraud cases")
    print(f"  Shouwang: 365 days stepped in {step['steps_s']:.2f} s = {ours_ns:,.1f} ns per resident-day; "
          f"build {step['build_s']:.2f} s; whole run (build, year, tables, run folder) {ours['run_s']:.2f} s; "
          f"peak RSS {ours['rss_mb']:.0f} MB; {ours['disputes']:,} disputes")
    row = {"scale": scale, "residents": n, "reference_days": ref["days"],
           "reference_ns": ref_ns, "reference_cpu_ns": ref_cpu_ns, "reference_build_s": ref["build_s"],
           "reference_year_s": ref_year_s, "reference_rss_mb": ref["rss_mb"],
           "ours_ns": ours_ns, "ours_cpu_ns": ours_cpu_ns, "ours_build_s": step["build_s"],
           "ours_days_s": step["steps_s"], "ours_run_s": ours["run_s"], "ours_rss_mb": ours["rss_mb"],
           "speedup": ref_ns / ours_ns, "speedup_cpu": ref_cpu_ns / ours_cpu_ns,
           "speedup_year": ref_year_s / ours["run_s"], "speedup_asymmetric": ref_ns / whole_ns,
           # the same behaviour, so about the same disputes a day (Poisson noise; seasons differ by days)
           "reference_disputes_per_day": ref["disputes"] / ref["days"], "ours_disputes_per_day": ours["disputes"] / 365}
    print(f"  speed-up per resident-day (days stepped, builds excluded): {row['speedup']:.0f}x in wall time, "
          f"{row['speedup_cpu']:.0f}x in CPU time (target >= 100x); a whole year, builds included: "
          f"{row['speedup_year']:.0f}x; asymmetric (reference's days vs Shouwang's whole run): "
          f"{row['speedup_asymmetric']:.0f}x; disputes a day: reference {row['reference_disputes_per_day']:.1f} "
          f"(its {ref['days']} days), Shouwang {row['ours_disputes_per_day']:.1f} (the year)", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.05, 0.2, 1.0])
    parser.add_argument("--resident-days", type=float, default=9e6,
                        help="the reference steps this many resident-days at each scale (at least 2 days)")
    args = parser.parse_args()
    full = 2_242_875
    rows = [compare(scale, max(2, round(args.resident_days / (full * scale)))) for scale in args.scales]
    out = ROOT / "results" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "reference_mesa.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(float(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "--ours":
        _ours_child(float(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
