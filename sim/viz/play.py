"""Step, Play and Reset of a live model on a Solara page: what the county and the city pages share.

:func:`use_live_session` is a Solara hook: it holds one live model per browser session
(:class:`~sim.viz.running.LiveModel`), applies the controls that act from the next day, steps
the model on Step and from a worker thread while playing, and builds a new one on Reset. Play
waits for each day's page to be drawn before the next: sets from the worker thread faster than a
render would restart the render forever, and the page would never update.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import solara

from sim.errors import ShouwangError

DRAW_TIMEOUT_S = 60.0
"""Play stops if a day's page has not been drawn for this long (the browser went away)."""


def watched() -> bool:
    """Whether a browser page is connected to this session (True outside a Solara server)."""
    try:
        from solara.server import kernel_context
    except ImportError:
        return True
    if not kernel_context.has_current_context():
        return True
    status = kernel_context.get_current_context().page_status
    return not status or any(v == kernel_context.PageStatus.CONNECTED for v in status.values())


@dataclass
class LiveSession[L]:
    """What a page needs of its live model ``L``: the model now and the buttons' actions.

    Attributes:
        live: the model this render shows.
        step: simulate that many days now (the Step button).
        reset: build a new model from the controls (the Reset button); a bad value shows in ``error``.
        playing: whether Play is on (the Play/Pause button sets it).
        error: the last refused control, one line, or "".
        version: counts the days stepped and the resets: what the page's pictures depend on.
    """

    live: L
    step: Callable[[int], None]
    reset: Callable[[], None]
    playing: solara.Reactive[bool]
    error: solara.Reactive[str]
    version: int


def use_live_session[C, L](build: Callable[[C], L], initial: C, controls: Callable[[], C], live_controls: list,
                           pause_s: float, days_per_frame: Callable[[], int] = lambda: 1) -> LiveSession[L]:
    """The page's live model and its Step, Play and Reset (a Solara hook: call it on every render).

    Args:
        build: a new live model from controls (raises ShouwangError for a meaningless value).
        initial: the controls of the first model.
        controls: the controls as the page's widgets set them now.
        live_controls: the values of the controls that act from the next day (applied when one changes).
        pause_s: pause between days while playing, so the room can follow.
        days_per_frame: days simulated per drawn page while playing.
    """
    playing = solara.use_reactive(False)
    version = solara.use_reactive(0)
    error = solara.use_reactive("")
    ref: Any = solara.use_ref(None)  # the live model, kept across renders
    if ref.current is None:
        ref.current = build(initial)
    guard = solara.use_memo(threading.Lock, [])

    def apply_live() -> None:
        try:
            ref.current.apply_live(controls())
            error.value = ""
        except ShouwangError as e:
            error.value = str(e)

    solara.use_effect(apply_live, live_controls)

    def step(days: int = 1) -> None:
        with guard:
            ref.current.step(days)
        version.value += 1

    def reset() -> None:
        playing.value = False
        try:
            fresh = build(controls())
        except ShouwangError as e:
            error.value = str(e)
            return
        with guard:
            ref.current = fresh
        error.value = ""
        version.value += 1

    drawn = solara.use_ref(0)
    shown = version.value

    def mark_drawn() -> None:
        drawn.current = shown

    solara.use_effect(mark_drawn, [shown])

    def play_loop(cancel: threading.Event) -> None:
        while playing.value and not cancel.is_set():
            if not watched():  # the tab was closed: pause rather than simulate for nobody
                playing.value = False
                return
            step(days_per_frame())
            target, t0 = version.value, time.monotonic()
            while drawn.current < target:  # wait for the page to show the day before the next
                if cancel.wait(0.02):
                    return
                if time.monotonic() - t0 > DRAW_TIMEOUT_S:  # nobody is drawing the page any more
                    playing.value = False
                    return
            if cancel.wait(pause_s):
                return

    solara.use_thread(play_loop, dependencies=[playing.value])
    return LiveSession(ref.current, step, reset, playing, error, version.value)
