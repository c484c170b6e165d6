"""The mediation layer per dispute against Ciw, on the same 4-tier tandem network.

Disputes arrive as a Poisson stream at the village tier and pass village -> township ->
banner -> city, each tier a FIFO multi-server queue with exponential sessions (no reneging,
no escalation choice: a pure tandem, the network both tools can express). Ours is the
engine's own :class:`~sim.agents.MediationCentre` (a Mesa agent holding a ``simpy.Store`` of
:class:`~sim.agents.Mediator` agents) and its session, :meth:`~sim.agents.MediationCentre.serve`
(queue FIFO for a mediator, hold them for the session, hand them on), in a bare SimPy
environment; Ciw's is ``ciw.Simulation``. The mediators are full-time (availability 1), so a
session's calendar days are its work days, and the parties never give up (infinite patience),
so no patience timer is set. Both run in this process, one after the other, and the figure is
wall time per completed dispute; the ratio is Ciw's over ours (target >= 1).

(Engine v2 moved the centre from ``sim.mediation`` to ``sim.agents.mediators``, made it a Mesa
agent with a place and a caseload, and turned the ``session(env, centre, work, patience, out)``
generator filling a dict into the centre's ``serve(work, patience)`` returning a
``SessionResult``; this benchmark follows.)

Run: ``python -m experiments.bench.ciw_tandem [--horizon 2000] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time

import mesa
import numpy as np
import simpy

from experiments.bench.measure import ROOT
from sim.agents import MediationCentre, Mediator

ARRIVAL_RATE = 40.0  # disputes per day entering the village tier
SERVERS = (12, 8, 6, 5)  # mediators per tier
SERVICE_RATE = (4.0, 6.0, 8.0, 10.0)  # sessions per mediator-day (mean session 1/rate days)


def ours(horizon: float, seed: int) -> int:
    """The engine's centres and sessions in a bare SimPy env; returns disputes through all tiers."""
    return ours_network(horizon, seed)[0]


def ours_network(horizon: float, seed: int) -> tuple[int, float]:
    """Run the tandem on the engine's centres; return disputes through all tiers and their days
    in the network (arrival at the village tier to the end of the city session), summed."""
    env = simpy.Environment()
    model = mesa.Model(rng=seed)
    rng = np.random.default_rng(seed)
    # one centre per tier (place 0), full-time mediators of skill 1, one case each at a time
    centres = [MediationCentre(model, env, tier, 0, [Mediator(model, tier, 1.0, 1.0) for _ in range(c)])
               for tier, c in enumerate(SERVERS)]
    done = [0, 0.0]

    def dispute():
        arrived = env.now
        for tier, centre in enumerate(centres):
            yield from centre.serve(float(rng.exponential(1.0 / SERVICE_RATE[tier])), math.inf)
        done[0] += 1
        done[1] += env.now - arrived

    def arrivals():
        while True:
            yield env.timeout(float(rng.exponential(1.0 / ARRIVAL_RATE)))
            env.process(dispute())

    env.process(arrivals())
    env.run(until=horizon)
    return done[0], done[1]


def ciw_tandem(horizon: float, seed: int) -> int:
    """The same network in Ciw; returns customers that left the last node."""
    q = ciw_simulation(horizon, seed)
    return sum(1 for r in q.get_all_records() if r.node == 4)


def ciw_simulation(horizon: float, seed: int):
    """The tandem in Ciw, simulated until ``horizon`` days; returns the ``ciw.Simulation``."""
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(ARRIVAL_RATE), None, None, None],
        service_distributions=[ciw.dists.Exponential(r) for r in SERVICE_RATE],
        number_of_servers=list(SERVERS),
        routing=[[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]],
    )
    ciw.seed(seed)
    q = ciw.Simulation(network)
    q.simulate_until_max_time(horizon)
    return q


def timed(fn, horizon: float, seed: int) -> tuple[float, int]:
    """Wall seconds of ``fn(horizon, seed)`` and the count it returns."""
    started = time.perf_counter()
    n = fn(horizon, seed)
    return time.perf_counter() - started, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=float, default=2000.0, help="simulated days per run")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    per = {"ours": [], "ciw": []}
    counts = {}
    for rep in range(args.repeats):
        for name, fn in (("ours", ours), ("ciw", ciw_tandem)):
            wall, n = timed(fn, args.horizon, rep)
            per[name].append(wall / n)
            counts[name] = n
    ours_us = statistics.median(per["ours"]) * 1e6
    ciw_us = statistics.median(per["ciw"]) * 1e6
    print(f"4-tier tandem, {ARRIVAL_RATE:g} disputes/day, servers {SERVERS}, horizon {args.horizon:g} days, "
          f"median of {args.repeats}")
    print(f"ours (MediationCentre.serve, SimPy):     {ours_us:6.1f} us per dispute "
          f"({1e6 / ours_us:,.0f} disputes/s; {counts['ours']:,} completed)")
    print(f"{'Ciw ' + __import__('ciw').__version__ + ':':<41}{ciw_us:6.1f} us per dispute "
          f"({1e6 / ciw_us:,.0f} disputes/s; {counts['ciw']:,} completed)")
    print(f"ratio Ciw/ours = {ciw_us / ours_us:.2f}x (target >= 1)")
    out = ROOT / "results" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ciw_tandem.json").write_text(json.dumps(
        {"arrival_rate": ARRIVAL_RATE, "servers": SERVERS, "service_rate": SERVICE_RATE,
         "horizon": args.horizon, "repeats": args.repeats, "ours_us": ours_us, "ciw_us": ciw_us,
         "ratio": ciw_us / ours_us, "completed": counts}, indent=1))


if __name__ == "__main__":
    main()
