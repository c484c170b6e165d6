"""Shared fixtures: small, seeded scenarios that run in well under a second."""

from __future__ import annotations

import pytest

from sim.config import CityConfig, Config


def demo_config(**changes) -> Config:
    """The demo county (synthetic, ~30,000 residents) for a short run."""
    city = CityConfig(kind="synthetic", name="demo_county", population=30000, townships=6,
                      villages_per_township=5, area_km2=6000.0, grids=None,
                      township_centres=None, village_centres=None,
                      model_mix={"urban": 2.0, "rural": 2.0, "pastoral": 1.0, "forest": 1.0})
    cfg = Config(days=60, city=city)
    for key, value in changes.items():
        setattr(cfg, key, value)
    return cfg


@pytest.fixture
def demo() -> Config:
    return demo_config()
