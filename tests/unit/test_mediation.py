"""Mediation centres: a store of mediators, FIFO queues, patience (SimPy event logs)."""

import mesa
import numpy as np
import simpy

from sim.agents import MediationCentre, Mediator
from sim.mediation import city_workstations


def _centre(n, availability=1.0):
    model = mesa.Model(rng=np.random.default_rng(0))
    env = simpy.Environment()
    staff = [Mediator(model, 0, availability, 1.0) for _ in range(n)]
    return env, MediationCentre(model, env, 0, 0, staff)


def test_cases_queue_in_order_and_are_served_by_free_mediators():
    env, centre = _centre(1)
    log = []

    def case(name, arrive, work):
        yield env.timeout(arrive)
        result = yield from centre.serve(work, float("inf"))
        log.append((name, env.now, result.wait))

    for name, arrive in (("a", 0.0), ("b", 0.1), ("c", 0.2)):
        env.process(case(name, arrive, 1.0))
    env.run()
    assert [x[0] for x in log] == ["a", "b", "c"]
    assert [round(x[1], 6) for x in log] == [1.0, 2.0, 3.0]
    assert [round(x[2], 6) for x in log] == [0.0, 0.9, 1.8]


def test_part_time_mediators_take_longer():
    env, centre = _centre(1, availability=0.5)
    process = env.process(centre.serve(1.0, float("inf")))
    env.run()
    assert process.value.service == 2.0 and env.now == 2.0
    assert centre.mediators[0].case_days == 2.0 and centre.mediators[0].sessions == 1


def test_impatient_party_withdraws_and_leaves_the_queue():
    env, centre = _centre(1)
    env.process(centre.serve(5.0, float("inf")))
    second = env.process(centre.serve(1.0, 2.0))
    env.run(until=2.5)
    assert second.value.mediator is None and second.value.wait == 2.0
    assert centre.queue_length == 0 and centre.busy == 1


def test_city_centre_has_18_workstations_covering_every_kind():
    model = mesa.Model(rng=np.random.default_rng(0))
    env = simpy.Environment()
    stations, by_kind = city_workstations(model, env, 36, 1.0, np.arange(1.0, 9.0), 1.0, 1.0,
                                          np.random.default_rng(1))
    assert len(stations) == 18
    assert sum(s.capacity for s in stations) == 36
    assert all(len(k) >= 1 for k in by_kind)
    assert sorted(i for k in by_kind for i in k) == list(range(18))


def test_a_mediator_carries_several_cases_at_once_and_load_counts_open_ones():
    model = mesa.Model(rng=np.random.default_rng(0))
    env = simpy.Environment()
    mediator = Mediator(model, 0, 1.0, 1.0)
    centre = MediationCentre(model, env, 0, 0, [mediator], caseload=2)
    done = []

    def case(name, work):
        result = yield from centre.serve(work, float("inf"))
        done.append((name, env.now, result.wait))

    for name, work in (("a", 4.0), ("b", 4.0), ("c", 1.0)):
        env.process(case(name, work))
    env.run(until=2.0)
    # two cases in hand at once; the third waits for one of them
    assert mediator.cases == 2 and centre.queue_length == 1 and centre.busy == 2
    assert mediator.case_days_until(2.0) == 4.0  # two open cases, two days each
    env.run()
    assert [(n, round(t, 6), round(w, 6)) for n, t, w in done] == [("a", 4.0, 0.0), ("b", 4.0, 0.0), ("c", 5.0, 4.0)]
    assert mediator.case_days == 9.0 and mediator.cases == 0
