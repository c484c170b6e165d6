"""Queueing theory the validation tests compare against (independent of the engine)."""

from __future__ import annotations

import math


def erlang_c(c: int, offered: float) -> float:
    """Erlang C: the chance an arrival waits in an M/M/c queue with offered load ``a = lambda/mu``.

    C(c, a) = [a^c / c! * c/(c-a)] / [sum_{k<c} a^k/k! + a^c / c! * c/(c-a)], for a < c.
    """
    if offered >= c:
        raise ValueError(f"unstable: offered load {offered} >= servers {c}")
    top = offered**c / math.factorial(c) * c / (c - offered)
    return top / (sum(offered**k / math.factorial(k) for k in range(c)) + top)


def mmc_wait(arrivals: float, servers: int, service: float) -> float:
    """Mean wait in queue of an M/M/c queue: Wq = C(c, a) / (c*mu - lambda), a = lambda*service."""
    mu = 1.0 / service
    return erlang_c(servers, arrivals * service) / (servers * mu - arrivals)


def tandem_rates(arrivals: float, escalate: list[float]) -> list[float]:
    """Arrival rate into each tier of the chain: lambda_k = lambda * prod(escalate[:k])."""
    rates = [arrivals]
    for e in escalate[:-1]:
        rates.append(rates[-1] * e)
    return rates


def tandem_shares(escalate: list[float]) -> list[float]:
    """Share of cases resolved at each tier: prod(escalate[:k]) * (1 - escalate[k]); the last takes the rest."""
    shares, reach = [], 1.0
    for k, e in enumerate(escalate):
        stay = 1.0 if k == len(escalate) - 1 else 1.0 - e
        shares.append(reach * stay)
        reach *= e
    return shares
