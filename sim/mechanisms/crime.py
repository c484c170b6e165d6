"""Serious crime apart from disputes: a background the eight major categories count with conversions."""

from __future__ import annotations

import numpy as np

from sim.config import CrimeParams
from sim.mechanisms.catalogue import declare

declare("background_crime", "police",
        "Serious crimes not driven by the disputes the model follows arise as a Poisson process per "
        "resident, with a yearly trend; a year's serious crimes are these plus the disputes that turned "
        "criminal (民转刑), so the article's 'eight major categories' can be compared.",
        ("crime.background_per_10k", "crime.background_trend"), "八类主要刑事案件")


class BackgroundCrime:
    """Draws each day's serious crimes of the background (by the residents simulated).

    Args:
        residents: residents simulated.
        rng: a stream of its own, so the background does not move other draws.
    """

    def __init__(self, residents: int, rng: np.random.Generator) -> None:
        self.residents = residents
        self.rng = rng
        self.total = 0  # background serious crimes so far

    def step(self, day: int, params: CrimeParams) -> int:
        """Today's serious crimes apart from disputes: Poisson at the background rate, trending by
        ``background_trend`` a year; returns the count (added to :attr:`total`)."""
        rate = self.residents * params.background_per_10k / 1e4 / 365.0
        rate *= (1.0 + params.background_trend) ** (day / 365.0)
        n = int(self.rng.poisson(rate))
        self.total += n
        return n
