"""Petitions (信访) in a dispute's life: after a failed session at any tier, or straight away.

The SimPy process is :meth:`sim.mechanisms.handling.Handling._petition`: the banner's petition
office holds the case for its handling time (within the 60-day norm, extendable by 30) and then
refers it to the banner centre (交办), where mediation goes on under the routing policy. A dispute
petitions once (it may still climb, go to court or withdraw afterwards).
"""

from __future__ import annotations

import numpy as np

from sim.config import PetitionParams
from sim.mechanisms.catalogue import declare

declare("petition", "petition",
        "After a failed mediation session at any tier the parties petition with a chance (and at the top "
        "of the ladder with the routing policy's chance); the banner's petition office holds the case for "
        "its handling days, within the norm, then refers it to the banner centre; a dispute petitions once.",
        ("petitions.after_failure", "mediation.petition", "petitions.handling_days", "petitions.limit_days"),
        "信访")
declare("direct_petition", "dispatch",
        "A found dispute not settled on the spot goes first to the petition office (letters and visits, "
        "来信来访) with a share that grows with its intensity (full at the police threshold).",
        ("petitions.direct_share", "disputes.police_threshold"), "信访")


def petitions_after_failure(rng: np.random.Generator, petitions: PetitionParams, petitioned: bool) -> bool:
    """Whether a failed session ends in a petition (never twice for one dispute)."""
    return not petitioned and petitions.after_failure > 0 and bool(rng.random() < petitions.after_failure)
