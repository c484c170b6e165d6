"""The engine's shortcuts do what the plain forms did: batched closures, in-place resource holding,
live counts kept as disputes move, the collector's pace restored."""

import gc
import math
from collections import Counter

import numpy as np
import simpy

from sim.agents import ResidentPopulation
from sim.agents.holding import Held, give, take
from sim.config import ResidentParams
from sim.mechanisms.processes import Deferred
from sim.model import ShouwangModel
from tests.conftest import demo_config


def _settle_one(pop: ResidentPopulation, i: int, satisfaction: float, day: float) -> None:
    """The one-resident closure as the engine applied it before batching (float64, stored float32)."""
    p = pop.params
    pop.trust[i] = (1 - p.trust_learning) * float(pop.trust[i]) + p.trust_learning * satisfaction
    base = float(pop.tension_base[i])
    current = float(pop.tension_excess[i]) * math.exp(-(day - float(pop.tension_day[i])) / p.tension_decay_days)
    feedback = p.tension_feedback * (p.satisfaction_neutral - satisfaction)
    pop.tension_excess[i] = min(max(current + feedback, -base), 1 - base)
    pop.tension_day[i] = day


def test_batched_closures_equal_closures_applied_one_by_one_repeats_included():
    params = ResidentParams(tension_feedback=0.8)
    batched, plain = (ResidentPopulation(np.array([300, 200]), 1.0, params, np.random.default_rng(4))
                      for _ in range(2))
    rng = np.random.default_rng(9)
    who = rng.integers(0, 40, 200).tolist()  # few residents: many close several disputes a day
    sat = rng.random(200).tolist()
    when = np.sort(rng.random(200) * 3 + 10).tolist()
    assert max(Counter(who).values()) >= 3
    for i, s, t in zip(who, sat, when):
        batched.settle(i, s, t)
        _settle_one(plain, i, s, t)
    assert not np.array_equal(batched.trust, plain.trust)  # queued until applied
    batched.apply_settlements()
    for name in ("trust", "tension_excess", "tension_day"):
        assert np.array_equal(getattr(batched, name), getattr(plain, name)), name


def test_a_resident_listed_twice_in_a_raise_is_raised_once():
    pop = ResidentPopulation(np.array([100]), 1.0, ResidentParams(), np.random.default_rng(1))
    once = ResidentPopulation(np.array([100]), 1.0, ResidentParams(), np.random.default_rng(1))
    pop.raise_awareness(np.array([5, 7, 5]), 0.5, 30)
    once.raise_awareness(np.array([5, 7]), 0.5, 30)
    assert np.array_equal(pop.awareness, once.awareness)
    assert np.array_equal(pop.awareness_floor, once.awareness_floor)


def test_held_units_queue_in_simpy_when_all_are_taken():
    env = simpy.Environment()
    officers = simpy.Resource(env, capacity=1)
    log = []

    def callout(name, arrive, hours):
        yield env.timeout(arrive)
        held = yield from take(officers)
        log.append((name, env.now, type(held) is Held, officers.count))
        yield env.timeout(hours)
        give(officers, held)

    for name, arrive in (("a", 0.0), ("b", 0.5), ("c", 0.6), ("d", 5.0)):
        env.process(callout(name, arrive, 1.0))
    env.run()
    # a and d find the officer free (taken in place); b and c wait in SimPy's queue, in order
    assert [(n, round(t, 6), in_place, c) for n, t, in_place, c in log] == [
        ("a", 0.0, True, 1), ("b", 1.0, False, 1), ("c", 2.0, False, 1), ("d", 5.0, True, 1)]
    assert officers.count == 0 and not officers.queue


def test_live_counts_follow_the_disputes_day_by_day():
    model = ShouwangModel(demo_config(days=40))
    checked = 0
    for _ in range(40):
        model.step()
        live = Counter(d.tier for d in model.handling.live)
        kept = {k: v for k, v in model.handling.live_at.items() if v}
        assert kept == dict(live)
        checked += sum(live.values())
    model.finish()
    assert checked > 0


def test_collector_pace_comes_back_when_the_model_finishes():
    gc.collect()  # models of earlier tests left unfinished give the pace back when freed
    before = gc.get_threshold()
    model = ShouwangModel(demo_config(days=1))
    assert gc.get_threshold()[0] > before[0]
    model.step()
    model.finish()
    assert gc.get_threshold() == before


def test_a_deferred_process_runs_as_one_that_waits_first():
    def trace(plain: bool) -> list:
        env, log = simpy.Environment(), []

        def case(name, delay):
            if plain:
                yield env.timeout(delay)
            log.append((name, env.now))
            yield env.timeout(1.0)
            log.append((name, env.now))
            return name

        procs = []
        for name, delay in (("a", 0.5), ("b", 0.25), ("c", 0.5), ("d", 0.75)):
            procs.append(env.process(case(name, delay)) if plain else Deferred(env, case(name, delay), delay))
        env.run()
        return log + [p.value for p in procs]

    assert trace(plain=False) == trace(plain=True)
    assert trace(plain=False)[0] == ("b", 0.25)
