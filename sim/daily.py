"""The daily table's rows: the day's flows from the visit record, queues read from the centres.

Flows (arrivals, resolved, escalated, withdrawn, litigated, criminal) are the counts the
:class:`~sim.records.VisitLog` kept as visits arrived and ended today; queue lengths, mediators
in session and staff come from the centre agents; ``live`` from where each live dispute sits.
"""

from __future__ import annotations

from sim.config import TIERS
from sim.records import COLUMNS, ROWS


def daily_rows(model, day: int, created_today: int, background_crimes: int) -> list[dict]:
    """One dict per row of :data:`~sim.records.ROWS` and one ``system`` row, for ``day``."""
    handling, log = model.handling, model.visits
    busy, queue = [0] * len(TIERS), [0] * len(TIERS)
    idle = []
    # only centres used since they were last idle can be busy or have a queue (of ~1,300)
    for c in handling.active:
        busy[c.tier] += c.busy
        queue[c.tier] += c.queue_length
        if c.busy == 0 and c.queue_length == 0:
            idle.append(c)
    handling.active.difference_update(idle)
    staff = model.mediators  # staff stay put through a run
    where: dict[str, int] = {}
    for dispute in handling.live:
        where[dispute.tier] = where.get(dispute.tier, 0) + 1
    rows = []
    for row, counts in zip(ROWS, log.today.tolist()):
        rec = {"day": day, "tier": row, **dict(zip(COLUMNS, counts))}
        t = TIERS.index(row) if row in TIERS else -1
        rec["queue_length"] = queue[t] if t >= 0 else 0
        rec["in_service"] = busy[t] if t >= 0 else 0
        rec["mediators"] = staff[row] if t >= 0 else 0
        live = where.get(row, 0) + (where.get("neighbour", 0) + where.get("enterprise", 0) if row == "grid" else 0)
        rec["live"] = live
        rec["fraud_cases"] = 0
        rec["background_crimes"] = 0
        rows.append(rec)
    rows.append({"day": day, "tier": "system", "arrivals": created_today,
                 "resolved": 0, "escalated": 0, "withdrawn": 0, "litigated": 0, "criminal": 0,
                 "queue_length": len(model.latent), "in_service": 0, "mediators": 0,
                 "live": len(handling.live), "fraud_cases": model.fraud_today, "background_crimes": background_crimes})
    log.today[:] = 0
    return rows
