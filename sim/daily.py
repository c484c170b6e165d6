"""The daily table's rows: the day's flows from the visit record, queues read from the centres.

Flows (arrivals, resolved, escalated, withdrawn, litigated, criminal) are the counts the
:class:`~sim.records.VisitLog` kept as visits arrived and ended today; queue lengths, mediators
in session and staff come from the centre agents; ``live`` from where each live dispute sits
(counted by the handling as disputes move).
"""

from __future__ import annotations

from sim.config import TIERS
from sim.records import COLUMNS, ROWS

_KEYS = ("day", "tier", *COLUMNS, "queue_length", "in_service", "mediators", "live", "fraud_cases",
         "background_crimes")
_TIER_OF_ROW = tuple(TIERS.index(row) if row in TIERS else -1 for row in ROWS)


def daily_rows(model, day: int, created_today: int, background_crimes: int) -> list[dict]:
    """One dict per row of :data:`~sim.records.ROWS` and one ``system`` row, for ``day``."""
    handling, log = model.handling, model.visits
    busy, queue = [0] * len(TIERS), [0] * len(TIERS)
    idle = []
    # only centres used since they were last idle can be busy or have a queue (of ~1,300)
    for c in handling.active:  # MediationCentre.busy and .queue_length, inlined (~600 centres a day)
        store = c.store
        in_hand, waiting = c.slots - len(store.items), len(store.get_queue)
        busy[c.tier] += in_hand
        queue[c.tier] += waiting
        if in_hand == 0 and waiting == 0:
            idle.append(c)
    handling.active.difference_update(idle)
    staff = model.mediators  # staff stay put through a run
    where = handling.live_at  # where the live disputes sit, kept by the handling as they move
    in_grid = where["neighbour"] + where["enterprise"]  # counted in the grid row
    rows = []
    for row, t, counts in zip(ROWS, _TIER_OF_ROW, log.today.tolist()):
        tiered = t >= 0
        rows.append(dict(zip(_KEYS, (day, row, *counts, queue[t] if tiered else 0, busy[t] if tiered else 0,
                                     staff[row] if tiered else 0,
                                     where[row] + (in_grid if row == "grid" else 0), 0, 0))))
    rows.append({"day": day, "tier": "system", "arrivals": created_today,
                 "resolved": 0, "escalated": 0, "withdrawn": 0, "litigated": 0, "criminal": 0,
                 "queue_length": len(model.latent), "in_service": 0, "mediators": 0,
                 "live": len(handling.live), "fraud_cases": model.fraud_today, "background_crimes": background_crimes})
    log.today[:] = 0
    return rows
