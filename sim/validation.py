"""Queueing-theory check mode (``validation=tandem`` / ``mmc``): the mediation tiers alone.

Every other mechanism is off: no residents, grids, travel, latent phase, waiting-driven
escalation or withdrawal. Disputes arrive as a Poisson process in continuous time into the
village tier; tier k is one :class:`~sim.mediation.MediationCentre` of ``servers[k]`` real
:class:`~sim.agents.Mediator` agents (availability 1, so a session lasts its work), served
through the real :meth:`~sim.agents.MediationCentre.serve` with exponential work of mean
``service_days[k]`` and infinite patience. After service the
:class:`~sim.mechanisms.routing.TandemRouting` policy climbs a case one tier with
probability ``escalate[k]``; the last tier resolves all it serves. Every hop is a visit in the
same :class:`~sim.records.VisitLog` as the full model's (``visits.parquet``). So each tier is an M/M/c
queue (a Jackson tandem network), whose mean waits theory gives (Erlang C).

The run writes the normal contract (disputes, daily, banners tables and the summary), and a
``queueing`` block in the summary with, per tier and after the warm-up: arrival rate, mean
number in system and in queue (exact time averages), mean wait and sojourn per case.
"""

from __future__ import annotations

from collections.abc import Generator
from functools import partial

import mesa
import numpy as np
import pandas as pd
import simpy

from sim.agents import MediationCentre
from sim.config import KINDS, TIERS, Config
from sim.disputes import Dispute, Ledger
from sim.mechanisms.routing import TandemRouting
from sim.mediation import staff_centres
from sim.records import COLUMNS, ROWS, VisitLog, flow_counts, paths_and_waits

NAME = "validation"
OTHER = KINDS.index("other")


class TierMonitor:
    """Exact time integrals of the number of cases at one tier (in queue + in service)."""

    def __init__(self, servers: int, warmup: float) -> None:
        self.servers = servers
        self.warmup = warmup
        self.n = 0
        self.last = warmup
        self.area_system = 0.0
        self.area_queue = 0.0
        self.area_busy = 0.0
        self.arrivals = 0  # after the warm-up
        self.waits: list[float] = []  # of cases that arrived after the warm-up
        self.sojourns: list[float] = []

    def change(self, now: float, delta: int) -> None:
        """``delta`` cases enter (+1) or leave (-1) the tier at ``now``: integrate the numbers in system,
        queueing and in service since the last change (after the warm-up), for the time averages."""
        if now > self.warmup:
            dt = now - max(self.last, self.warmup)
            self.area_system += self.n * dt
            self.area_queue += max(self.n - self.servers, 0) * dt
            self.area_busy += min(self.n, self.servers) * dt
            self.last = now
        self.n += delta

    def close(self, end: float) -> None:
        """Integrate up to ``end``, so the time averages cover the whole measured period."""
        self.change(end, 0)


class QueueingModel(mesa.Model):
    """The tandem of tiers as a Mesa model owning the SimPy environment (one step = one day)."""

    def __init__(self, cfg: Config) -> None:
        seq = np.random.SeedSequence(cfg.seed)
        world, arrivals, behaviour, service = (np.random.default_rng(s) for s in seq.spawn(4))
        super().__init__(rng=behaviour)
        self.cfg = cfg
        v = cfg.validation
        self.arrival_rng = arrivals
        self.route_rng = behaviour
        self.service_rng = service
        self.env = simpy.Environment()
        self.tiers = len(v.servers)
        self.centres: list[MediationCentre] = []
        for k, c in enumerate(v.servers):
            # availability 1 and skill 1: a session lasts exactly its work; success plays no part
            self.centres.append(staff_centres(self, self.env, k, np.array([0]), c, 1.0, 1.0, 1.0, world, 0.0)[0])
        self.monitors = [TierMonitor(c, v.warmup_days) for c in v.servers]
        self.ledger = Ledger()
        self.visits = VisitLog()
        self.policy = TandemRouting(v.escalate, behaviour)
        self.daily: list[dict] = []
        self.live = 0
        self.day = 0
        self.env.process(self._arrivals())

    def _arrivals(self) -> Generator[simpy.Event, object, None]:
        v = self.cfg.validation
        mean_gap = 1.0 / v.arrivals_per_day
        while True:
            yield self.env.timeout(float(self.arrival_rng.exponential(mean_gap)))
            d = Dispute(self.ledger.new_id(), OTHER, 0, 0, 0, 0, 0, self.env.now, 0.0, 0, 0)
            d.detected_day = self.env.now
            d.detected_by = NAME
            self.ledger.add(d)
            self.env.process(self._case(d))

    def _case(self, d: Dispute) -> Generator[simpy.Event, object, None]:
        v, env = self.cfg.validation, self.env
        self.live += 1
        k = 0
        while True:
            arrived = env.now
            visit = self.visits.arrive(d.id, d.hops, TIERS[k], 0, arrived)
            d.hops += 1
            mon = self.monitors[k]
            mon.change(arrived, +1)
            work = float(self.service_rng.exponential(v.service_days[k]))
            result = yield from self.centres[k].serve(work, np.inf, partial(self.visits.start, visit))
            mon.change(env.now, -1)
            if arrived >= v.warmup_days:
                mon.arrivals += 1
                mon.waits.append(result.wait)
                mon.sojourns.append(env.now - arrived)
            decision = self.policy.after_session(k, self.tiers)
            if decision.action == "climb":
                self.visits.end(visit, "climbed", env.now, TIERS[decision.tier])
                k = decision.tier
                continue
            self.visits.end(visit, "resolved", env.now)
            d.outcome = "resolved"
            d.resolved_tier = TIERS[k]
            d.closed_day = env.now
            d.tier = "closed"
            self.live -= 1
            return

    def step(self) -> None:
        """Run one day of continuous time and record the day's row per tier."""
        self.env.run(until=self.day + 1)
        today = self.visits.today
        for r, row in enumerate(ROWS):
            rec = {"day": self.day, "tier": row}
            rec.update({c: int(today[r, j]) for j, c in enumerate(COLUMNS)})
            t = TIERS.index(row) if row in TIERS[: self.tiers] else -1
            c = self.centres[t] if t >= 0 else None
            rec["queue_length"] = c.queue_length if c else 0
            rec["in_service"] = c.busy if c else 0
            rec["mediators"] = c.capacity if c else 0
            rec["live"] = self.monitors[t].n if t >= 0 else 0
            self.daily.append(rec)
        self.daily.append({"day": self.day, "tier": "system", "arrivals": int(today[1, 0]),
                           "resolved": 0, "escalated": 0, "withdrawn": 0, "litigated": 0, "criminal": 0,
                           "queue_length": 0, "in_service": 0, "mediators": 0, "live": self.live,
                           "fraud_cases": 0})
        today[:] = 0
        self.day += 1


def simulate_queues(cfg: Config) -> tuple[dict, dict[str, pd.DataFrame]]:
    """Run the check mode for ``cfg.days`` days; return the summary and the three tables.

    The caller (:func:`sim.run.run`) adds runtime and version and writes the run folder.
    """
    model = QueueingModel(cfg)
    for _ in range(cfg.days):
        model.step()
    end = float(cfg.days)
    for mon in model.monitors:
        mon.close(end)
    counts = model.ledger.counts()
    visits = model.visits.frame()
    path, wait = paths_and_waits(visits, len(model.ledger))
    disputes = model.ledger.to_frame([NAME], [NAME], (NAME,), path, wait)
    daily = pd.DataFrame(model.daily)
    daily["fraud_cases"] = daily["fraud_cases"].fillna(0).astype(np.int64)
    summary = _summary(model, disputes, visits, counts)
    tables = {"disputes": disputes, "visits": visits, "daily": daily, "banners": _banners(model, disputes, summary)}
    return summary, tables


def _summary(model: QueueingModel, disputes: pd.DataFrame, visits: pd.DataFrame, counts: dict[str, int]) -> dict:
    cfg, v = model.cfg, model.cfg.validation
    span = max(cfg.days - v.warmup_days, 1e-9)
    by_tier = {t: 0 for t in TIERS}
    for k, c in enumerate(model.centres):
        by_tier[TIERS[k]] = c.capacity
    served = [len(m.waits) for m in model.monitors]
    flows = flow_counts(visits)
    queueing = {}
    for k, m in enumerate(model.monitors):
        queueing[TIERS[k]] = {
            "servers": m.servers,
            "arrival_rate": m.arrivals / span,
            "mean_in_system": m.area_system / span,
            "mean_in_queue": m.area_queue / span,
            "mean_wait_days": float(np.mean(m.waits)) if m.waits else 0.0,
            "mean_sojourn_days": float(np.mean(m.sojourns)) if m.sojourns else 0.0,
            "served": served[k],
        }
    return {
        "seed": cfg.seed, "scale": cfg.scale, "days": cfg.days, "city": NAME,
        "governance": f"{NAME}:{v.mode}", "staffing": NAME,
        "population": 0, "grids": 0, "grid_workers": 0,
        "mediators": int(sum(by_tier.values())), "mediators_by_tier": by_tier,
        "police_posts": 0, "police_officers": 0,
        "centres": {t: int(k < model.tiers) for k, t in enumerate(TIERS)},
        "disputes": {"created": len(disputes), **counts},
        "resolved_at": flows["resolved_at"],
        "mediated_cases": flows["mediated_cases"],
        "mediation_success_rate": (flows["mediation_resolved"] / flows["mediation_ended"]
                                   if flows["mediation_ended"] else float("nan")),
        "escalations": flows["escalations"],
        "mean_wait_days": {t: queueing[t]["mean_wait_days"] if t in queueing else 0.0 for t in TIERS},
        "utilisation": {t: (model.monitors[k].area_busy / span / model.monitors[k].servers
                            if k < model.tiers else 0.0) for k, t in enumerate(TIERS)},
        "police_incidents": flows["police_incidents"], "petitions": flows["petitions"],
        "satisfaction": float("nan"),
        "fraud_cases_per_day": 0.0,
        "warmup_days": v.warmup_days,
        "queueing": queueing,
    }


def _banners(model: QueueingModel, disputes: pd.DataFrame, summary: dict) -> pd.DataFrame:
    """One row (the whole tandem) with the columns of the normal per-banner table."""
    row = {"banner": NAME, "name_zh": "", "code": "", "model": NAME, "population": 0, "grids": 0,
           "grid_workers": 0, "mediators": summary["mediators"], "created": len(disputes)}
    row.update({o: summary["disputes"][o] for o in ("resolved", "litigated", "criminal", "withdrawn", "pending")})
    row.update({f"resolved_{t}": n for t, n in summary["resolved_at"].items()})
    row["mediated"] = len(disputes)
    row["police_incidents"] = summary["police_incidents"]
    row["escalations"] = summary["escalations"]
    row["petitions"] = summary["petitions"]
    row["mean_wait_days"] = float(disputes["wait_days"].mean()) if len(disputes) else float("nan")
    row["satisfaction"] = float("nan")
    row["per_10k_created"] = float("nan")
    return pd.DataFrame([row])
