"""Courts (法院): each banner's basic people's court with its tribunals; case slots a SimPy resource.

A judge carries many cases at once (basic-court judges closed 274 cases each in 2022 at ~60 days
a case), so the court's SimPy resource is its *case slots*: judges x cases a judge carries x the
share of slots open to the disputes simulated. A case holds a slot from the day it is taken up
to its judgment. The court keeps its own books (filings, referrals to pre-suit mediation,
settlements there, judgments, days to judgment, online hearings, the parties' travel), which the
summary reads and a test checks against the visit record.
"""

from __future__ import annotations

from collections.abc import Generator

import mesa
import simpy

from sim.agents.holding import give, take


class Court(mesa.Agent):
    """A banner's basic people's court; its caseload is read from it.

    Attributes:
        filed: disputes brought to it (each once, whether judged or settled in mediation).
        referred: filings referred to pre-suit mediation (诉前调解) at a centre of the network.
        settled: of those, settled there (they never return).
        decided: judgments (cases closed by the court, 审结).
        judgment_days: days from filing (or from the return after failed pre-suit mediation) to
            judgment, summed over judgments (see :attr:`mean_days`).
        online: judgments whose hearings were held online; ``travel_km``: the parties' km to court.

    Args:
        model: the Mesa model.
        env: the SimPy environment.
        banner: the banner it serves.
        judges: judges (at least one).
        case_days: mean days from filing to judgment (the handling draws each case's days).
        cases_per_judge: case slots a judge gives the simulated disputes (see :meth:`open_slots`).
    """

    def __init__(self, model: mesa.Model, env: simpy.Environment, banner: int, judges: int,
                 case_days: float, cases_per_judge: float = 1.0) -> None:
        super().__init__(model)
        self.env = env
        self.banner = int(banner)
        self.judge_count = max(1, int(judges))
        self.case_days = case_days
        self.slots = simpy.Resource(env, capacity=1)
        self.open_slots(cases_per_judge)
        self.filed = 0
        self.referred = 0
        self.settled = 0
        self.decided = 0
        self.judgment_days = 0.0
        self.online = 0
        self.travel_km = 0.0

    def open_slots(self, cases_per_judge: float) -> None:
        """Set the case slots to judges x ``cases_per_judge`` (at least one); only before any case.

        Raises:
            RuntimeError: if cases are already in the court.
        """
        if self.slots.count or self.slots.queue:
            raise RuntimeError(f"court of banner {self.banner}: case slots changed with cases in court")
        self.slots = simpy.Resource(self.env, capacity=max(1, round(self.judge_count * cases_per_judge)))

    @property
    def mean_days(self) -> float:
        """Mean days from filing to judgment (nan before the first judgment)."""
        return self.judgment_days / self.decided if self.decided else float("nan")

    def judge(self, days: float, online: bool = False, km: float = 0.0) -> Generator[simpy.Event, object, float]:
        """A case waits for a slot, is held ``days`` and judged; returns the day it was taken up.

        Use as ``started = yield from court.judge(days)`` in a SimPy process; the days to judgment
        counted in :attr:`mean_days` run from the call (filing) to the judgment.
        """
        filed = self.env.now
        slot = yield from take(self.slots)  # queues only when every slot is taken
        started = self.env.now
        yield self.env.timeout(days)
        give(self.slots, slot)
        self.decided += 1
        self.judgment_days += self.env.now - filed
        self.online += int(online)
        self.travel_km += km
        return started
