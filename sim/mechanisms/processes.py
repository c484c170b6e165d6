"""Starting a dispute's SimPy process later today without an extra event."""

from __future__ import annotations

from collections.abc import Generator

import simpy


class Deferred(simpy.Process):
    """A SimPy process whose generator first runs ``delay`` from now.

    ``env.process`` schedules an Initialize event now, and the generator's first act would be a
    Timeout of ``delay``; here the Timeout itself starts the generator: one event per dispute
    instead of two (~60,000 a year at full scale), the same times and the same order of events
    (the Initialize events of a day all ran before anything else of that instant).
    """

    def __init__(self, env: simpy.Environment, generator: Generator, delay: float) -> None:
        # Process.__init__ minus its Initialize event (SimPy 4: the fields Process._resume uses)
        self.env = env
        self.callbacks = []
        self._generator = generator
        self._target = env.timeout(delay)
        self._target.callbacks.append(self._resume)


def start_after(env: simpy.Environment, process: Generator, delay: float) -> simpy.Process:
    """Start ``process`` ``delay`` days from now (when in the day its dispute came to light)."""
    return Deferred(env, process, delay) if delay > 0 else env.process(process)
