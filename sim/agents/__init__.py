"""The actors: residents, grid workers, mediators, police posts and courts (Mesa agents).

Daily routines over many agents are array work; per-event behaviour
(settling a dispute, serving a case, answering an incident) is per-agent Python.
"""

from sim.agents.courts import Court
from sim.agents.grid_workers import GridWorker, GridWorkforce
from sim.agents.mediators import MediationCentre, Mediator, SessionResult
from sim.agents.police import PolicePost
from sim.agents.residents import ResidentPopulation

__all__ = ["Court", "GridWorker", "GridWorkforce", "MediationCentre", "Mediator", "PolicePost", "ResidentPopulation",
           "SessionResult"]
