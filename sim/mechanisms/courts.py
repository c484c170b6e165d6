"""Courts in a dispute's life: direct filings, pre-suit court-referred mediation, judgment.

The SimPy process is :meth:`sim.mechanisms.handling.Handling._court`; this module declares the
mechanisms and holds the rules they share with the tests: how long a case and a pre-suit
mediation take, and which centre of the network a court refers a filing to.
"""

from __future__ import annotations

import numpy as np

from sim.config import CourtParams
from sim.mechanisms.catalogue import declare

declare("direct_filing", "dispatch",
        "A found dispute not settled on the spot is taken straight to the banner's court by its parties "
        "with a share that grows with its intensity (full at the police threshold); it stays pending "
        "until judgment or settlement.", ("courts.direct_share", "disputes.police_threshold"), "起诉")
declare("court_referred_mediation", "court",
        "The court refers a share of direct filings to pre-suit mediation at a centre of the network (the "
        "township centre, or the banner centre or a city workstation when the dispute is too tense for "
        "it); the case waits for room in a mediator's caseload there, who carries it for its days "
        "(exponential, cut at the 30-day limit); it settles with the court-referral success rate (closing "
        "resolved at that centre's tier) unless the wait pushed it past the limit, else it returns to the "
        "court for judgment. Filings after failed mediation are judged.",
        ("courts.referral_share", "courts.referral_success", "courts.referral_days",
         "courts.referral_limit_days", "mediation.caseload", "mediation.entry_cap"), "诉前调解/委派调解")
declare("court_judgment", "court",
        "A case waits for a case slot (judges x cases a judge carries x the share open to these disputes) "
        "and is judged after gamma-distributed days from filing; the dispute closes 'litigated' at "
        "judgment. A failed mediation's referral to court is this mechanism's inflow.",
        ("courts.judges_per_court", "courts.case_days", "courts.case_shape", "courts.caseload_per_judge",
         "courts.dispute_share", "mediation.litigate"), "审判")
declare("online_hearing", "court",
        "A share of cases is heard online; the parties of the others travel to the court for each "
        "hearing (their km are kept on the court), online ones do not.",
        ("courts.online_share", "courts.hearing_trips"), "在线庭审")


def limited_days(rng: np.random.Generator, mean: float, limit: float) -> float:
    """Days a task with a norm takes: exponential with ``mean``, cut at the ``limit``."""
    return float(min(rng.exponential(mean), limit))


def judgment_days(rng: np.random.Generator, courts: CourtParams) -> float:
    """Days from filing to judgment: gamma with mean ``case_days`` and shape ``case_shape``."""
    return float(rng.gamma(courts.case_shape, courts.case_days / courts.case_shape))


def referral_tier(open_tiers: list[int], entry: int) -> int:
    """The tier a court refers a filing to: the dispatch tier for its intensity, but not a village
    committee (courts delegate to the township centres and above; a closed township tier passes
    to the banner)."""
    above = [t for t in open_tiers if t >= 1]
    return max(entry, above[0]) if above else entry
