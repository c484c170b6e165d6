"""The mechanism catalogue and the mechanisms themselves (detection, settlement, routing, ...).

Importing this package declares the mechanisms of its modules; the whole catalogue, with the
world's, the agents' and the shocks' entries, is :func:`~sim.mechanisms.catalogue.mechanisms`.
"""

from sim.mechanisms import arrivals, crime, detection, governance, handling, routing, settlement  # noqa: F401
from sim.mechanisms.catalogue import CATALOGUE, Mechanism, mechanisms

__all__ = ["CATALOGUE", "Mechanism", "mechanisms"]
