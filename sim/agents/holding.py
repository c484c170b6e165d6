"""Holding one unit of a SimPy resource (an officer, a court's case slot) with no zero-time events
when nobody competes for it.

``with resource.request() as r: yield r`` schedules a Request event even when a unit is free,
resumes the process at the same instant, and schedules a Release event at the end: three events
around the one that matters (the time held). When a unit is free and no request waits, taking
it is what the resource's own request would do at once (join its ``users``), and giving it back
with no request waiting is what its release would do (leave ``users``, nobody to wake); so both
happen in place. Whenever requests wait, SimPy's own request queue and release serve them, in
their order: capacity and waiting stay SimPy's.
"""

from __future__ import annotations

from collections.abc import Generator

import simpy


class Held:
    """A unit taken in place: the holder's entry in the resource's ``users``."""

    __slots__ = ()


def take(resource: simpy.Resource) -> Generator[simpy.Event, object, object]:
    """Take one unit of ``resource`` (use as ``held = yield from take(resource)`` in a process).

    Returns:
        What to hand to :func:`give` when done.
    """
    if len(resource.users) < resource.capacity and not resource.put_queue:
        held = Held()
        resource.users.append(held)  # type: ignore[arg-type]  # counted like a granted request
        return held
    request = resource.request()
    yield request
    return request


def give(resource: simpy.Resource, held: object) -> None:
    """Give back the unit :func:`take` returned; a waiting request gets it through SimPy's release."""
    if resource.put_queue:
        resource.release(held)  # type: ignore[arg-type]  # the release event wakes the first waiting
    else:
        resource.users.remove(held)  # type: ignore[arg-type]
