"""The mechanism catalogue and the mechanisms themselves (detection, settlement, routing, ...).

Importing this package declares every mechanism (:data:`~sim.mechanisms.catalogue.CATALOGUE`).
"""

from sim.mechanisms import arrivals, crime, detection, governance, handling, routing, settlement  # noqa: F401
from sim.mechanisms.catalogue import CATALOGUE, Mechanism, mechanisms

__all__ = ["CATALOGUE", "Mechanism", "mechanisms"]
