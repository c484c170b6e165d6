"""Sources of residents and fraud, shocks, satisfaction, the reform timeline and the check mode."""

from __future__ import annotations

from sim.mechanisms.sources.base import ART, FIXED, HM, P01, A, S, Source

SCENARIO: dict[str, Source] = {
    # --- residents and fraud ---------------------------------------------------------------------
    "residents.trust_mean": A(P01, 0.5, 0.9, "98.6% feel safe (evidence 4.7, m.ihouhe.com/cn/Instant/municipal/"
                              "202209/t20220928_7282111.html); trust in institutions is lower than felt safety"),
    "residents.trust_learning": A(P01, 0.05, 0.4, "one closure moves trust part of the way"),
    "residents.tension_mean": A(P01, 0.1, 0.5, "most residents are not quarrelling at any time"),
    "residents.tension_decay_days": A("days", 15.0, 180.0, "tempers cool over weeks to months"),
    "residents.awareness_mean": Source("awareness (0-1)", f"{FIXED}: 0.9 after two years of the campaign", 0.3,
                                       0.95, "schema default 0.6 (uncalibrated)"),
    "residents.awareness_decay_days": A("days", 60.0, 365.0, "warnings fade over months"),
    "residents.awareness_memory": Source(
        P01, HM, 0.3, 0.8,
        "share of raised fraud awareness that becomes a lasting floor; schema default 0.5"),
    "residents.concentration": A("Beta concentration", 2.0, 10.0, "residents differ widely around the mean"),
    "residents.tension_feedback": A("tension per unit satisfaction", 0.0, 0.5, "a bad closure leaves resentment"),
    "residents.satisfaction_neutral": A("satisfaction (0-1)", 0.4, 0.8, "below this a closure leaves resentment"),
    "fraud.attempts_per_10k_day": Source("attempts per 10,000 residents a day", f"{HM} (prior 2.5-5), against "
                                         "the article's 3.6 fraud cases a day (2022) and ~30 at the peak", 0.5, 10.0,
                                         "residents are targeted by calls and messages weekly; most fail"),
    "fraud.success": A("chance per attempt (unaware)", 0.01, 0.1, "a few percent of unaware targets are "
                       "deceived; 97.6% of warned targets dissuaded (evidence 5.9, m.themetaldrummer.com/news/"
                       "20210625/26666.html)"),
    "fraud.campaign_boost": Source("awareness per contact", f"{FIXED}: 0.5", 0.1, 0.6,
                                   "one talk, SMS or app warning"),
    "fraud.campaign_reach_per_10k_day": Source(
        "residents per 10,000 a day", f"{HM} (prior 150-450)", 20.0, 450.0,
        "national 2021: 3.62 billion warning SMS (evidence 5.2, northnews.cn/news/2022/0101/2057038.html) = "
        "~70 per 10,000 a day; the rest are talks, app alerts and visits"),
    "fraud.victim_trust": A("x", 0.8, 1.0, "a victim trusts institutions a little less"),
    "fraud.victim_awareness": A("awareness", 0.2, 0.8, "a victim learns"),
    # --- shocks ------------------------------------------------------------------------------------
    "shocks.name": S("name", "the shocks preset (scenarios/shocks/)"),
    "shocks.epidemic.start_day": S("day of year", "epidemic start (scenarios/shocks/epidemic.yaml: 1 March)"),
    "shocks.epidemic.days": S("days", "epidemic length (0: none)"),
    "shocks.epidemic.diverted": A(P01, 0.3, 0.8, "the article: cadres went into the grids (平急结合); the share "
                                  "of visiting time lost is not published"),
    "shocks.epidemic.dispute_rate": A("x", 1.0, 1.3, "lockdown quarrels raise disputes somewhat"),
    "shocks.grazing.kind": S("kind", "which kind surges (land: grassland boundaries)"),
    "shocks.grazing.start_day": S("day of year", "spring grazing, April-May"),
    "shocks.grazing.days": S("days", "surge length (0: none)"),
    "shocks.grazing.factor": A("x", 1.0, 3.5, "boundary disputes multiply when herds move (1: no surge)"),
    "shocks.grazing.models": S("models", "where the surge applies"),
    "shocks.wage_arrears.kind": S("kind", "which kind surges (labour)"),
    "shocks.wage_arrears.start_day": S("day of year", "year-end wage arrears from 1 December"),
    "shocks.wage_arrears.days": S("days", "surge length (0: none)"),
    "shocks.wage_arrears.factor": A("x", 1.0, 3.5, "unpaid wages surface before the Spring Festival (1: no surge)"),
    "shocks.wage_arrears.models": S("models", "where the surge applies (empty: everywhere)"),
    "policy.name": S("name", "the policy preset (scenarios/policy/)"),
    # --- satisfaction -------------------------------------------------------------------------------
    "satisfaction.resolved": Source("score (0-1)", f"{FIXED}: 1.0", 0.8, 1.0, "a dispute resolved at once "
                                    "satisfies fully; time and level cost"),
    "satisfaction.litigated": Source(
        "score (0-1)", f"{FIXED}: 0.98, set by hand with the courts", 0.3, 1.0,
        "the article's satisfaction is residents' satisfaction with public safety (平安建设满意度), not the "
        "parties' with their case: a judgment settles a dispute for that measure (0.98); for the parties' "
        "own view court is slower and adversarial (0.3-0.8)"),
    "satisfaction.withdrawn": A("score (0-1)", 0.2, 0.7, "an abandoned dispute leaves the parties unsatisfied"),
    "satisfaction.criminal": A("score (0-1)", 0.0, 0.3, "violence is the worst outcome"),
    "satisfaction.per_day": Source("score per day open", f"{FIXED}: from an earlier one-year fit to the "
                                   "article's 99.33% satisfaction, not history-matched", 0.0, 0.003, "sensitivity range"),
    "satisfaction.per_level": Source("score per level climbed", f"{FIXED}: from an earlier one-year fit to the "
                                     "article's 99.33% satisfaction, not history-matched", 0.0, 0.02, "climbing the ladder costs the parties"),
    # --- the reform timeline --------------------------------------------------------------------------
    "timeline.name": S("name", "the timeline preset (scenarios/timeline/)"),
    "timeline.start": S("ISO date", "the date of day 0"),
    "timeline.before": Source("governance preset", f"{ART}: the system before the 2020-2022 pilot "
                              "(governance=pre_reform; its thinning factors are assumptions)"),
    "timeline.phases": Source(
        "phases (start date, reform level 0-1, flags)", f"{ART}: the pilot ran 2020-2022, 'lay the foundation "
        "in year one, show results in year two, step up in year three' (三年三步走)",
        note="the levels of years one and two (0.35, 0.7) are assumptions (plausible 0.2-0.5 and 0.5-0.85); the "
             "campaign from March 2021 follows the national anti-fraud app's launch (evidence 5.5, "
             "qiuwenbaike.cn/wiki/国家反诈中心)"),
    "timeline.before_governance": S("governance", "filled in from timeline.before when composed"),
    # --- the queueing-theory check mode -----------------------------------------------------------------
    "validation.mode": S("none | tandem | mmc", "queueing-theory check mode"),
    "validation.arrivals_per_day": S("per day", "check mode: Poisson arrivals"),
    "validation.servers": S("mediators per tier", "check mode"),
    "validation.service_days": S("days (mean)", "check mode: exponential service"),
    "validation.escalate": S(P01, "check mode: chance to climb a tier"),
    "validation.warmup_days": S("days", "check mode: statistics start after"),
}
