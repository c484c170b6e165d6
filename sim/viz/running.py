"""A model a dashboard page drives day by day: what the county and the city pages share.

No Solara and no matplotlib here, so it is tested on its own. A page's controls are a dataclass
with at least ``dispute_rate`` and ``duty_load`` (the two that act from the next day); the rest
decide who is on hand and take effect when the page builds a new model (Reset). The county
(:class:`sim.viz.live.LiveCounty`) and the city (:class:`sim.viz.city_live.LiveCity`) add
what they show.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from typing import Any

from sim.config import Config
from sim.disputes import Dispute
from sim.model import ShouwangModel


class LiveModel[C]:
    """A running :class:`ShouwangModel` built from a page's controls ``C`` (thread-safe: Play steps
    it from a worker thread while the page reads it).

    Args:
        controls: the page's controls (copied: the page's own object stays the page's).
        configure: the checked scenario of a set of controls; raises ShouwangError naming the key.
    """

    def __init__(self, controls: C, configure: Callable[[C], Config]) -> None:
        self.controls = copy.copy(controls)
        self._configure = configure
        self.model = ShouwangModel(configure(self.controls))
        self.lock = threading.RLock()
        self._open: list[Dispute] = []  # disputes not yet closed, in ledger order
        self._seen = 0  # disputes of the ledger looked at so far
        self.step_seconds: list[float] = []  # compute time of each day (the page shows it)

    @property
    def day(self) -> int:
        """Days simulated so far (the next day to run)."""
        return self.model.day

    def apply_live(self, controls: C) -> None:
        """Take the dispute rate and the duty load from ``controls``: they act from the next day.

        Raises:
            ShouwangError: a value is meaningless; the running model is left as it was.
        """
        new: Any = controls  # any controls dataclass with these two fields
        rate, duty = new.dispute_rate, new.duty_load
        with self.lock:
            probe: Any = copy.copy(self.controls)
            probe.dispute_rate, probe.duty_load = rate, duty
            self._configure(probe)  # refuse bad values before touching the running model
            mine: Any = self.controls
            mine.dispute_rate, mine.duty_load = rate, duty
            self._apply_more(controls)
            if rate is not None:  # the city's None: keep the calibrated rate
                self.model.cfg.disputes.rate_per_10k = float(rate)
            self.model.cfg.staffing.duty_load = float(duty)

    def step(self, days: int = 1) -> None:
        """Simulate ``days`` more days, timing each (a page that plays live must keep up)."""
        with self.lock:
            for _ in range(days):
                t0 = time.perf_counter()
                self._before_day()
                self.model.step()
                self._after_day()
                self.step_seconds.append(time.perf_counter() - t0)

    def _apply_more(self, controls: C) -> None:
        """Further controls that act from the next day (none here)."""

    def _before_day(self) -> None:
        """Set up today (nothing here)."""

    def _after_day(self) -> None:
        """Collect what the page shows of the day just run (nothing here)."""

    def _closed_since(self) -> list[Dispute]:
        """Disputes closed since the last call, in ledger order; the open ones are kept in ``_open``."""
        ledger = self.model.ledger.disputes
        self._open.extend(ledger[self._seen:])
        self._seen = len(ledger)
        closed = [d for d in self._open if d.outcome != "pending"]
        self._open = [d for d in self._open if d.outcome == "pending"]
        return closed
