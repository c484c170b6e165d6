"""The world: the governance hierarchy and its places (no agents, no time)."""

from sim.world.cities import build_city, plan_from_table, synthetic_county
from sim.world.hierarchy import World, build_world
from sim.world.table import load_banner_table

__all__ = ["World", "build_city", "build_world", "load_banner_table", "plan_from_table", "synthetic_county"]
