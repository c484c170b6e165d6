"""Where every configuration number comes from: unit, source, plausible range.

One :class:`Source` per configuration key of :class:`sim.config.Config`, dotted, with ``*`` for
"every entry" of a mapping (``governance.models.*.police_grid`` for each governance model,
``disputes.kinds.*.growth`` for each kind of dispute, ``staffing.by_model.*.village`` ...). A
source is one of

- ``evidence N.M: <fact>``: a sourced public figure (the row's address is in ``note``);
- ``article (Hulunbuir governance review, 2023): <fact>``: the figures of the 2023 review of
  Hulunbuir's pilot on city-level social-governance modernisation, the model's subject;
- ``calibrated (scenarios/calibration/hulunbuir_2022.yaml)``: fitted to the article's 2022
  figures (43,475 mediated cases, 99.7% success, 99.33% satisfaction, 3.6 fraud cases a day);
- ``assumption``: no public figure; ``low``/``high`` give the range we would defend and
  ``note`` why;
- ``setting: <what>``: not a parameter of the world but a choice of the run or scenario (seed,
  days, a what-if factor, a preset's name).

The ODD description (``python -m sim.odd``) shows every entry next to the composed value, and
``tests/unit/test_sources.py`` fails, listing the keys, when a configuration key has no entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, get_args, get_origin, get_type_hints

from sim.config import Config

SOURCE_KINDS = ("evidence", "article", "calibrated", "assumption", "setting")
ART = "article (Hulunbuir governance review, 2023)"
CAL = "calibrated (scenarios/calibration/hulunbuir_2022.yaml)"
FIXED = "assumption (held fixed by scenarios/calibration/hulunbuir_2022.yaml, not fitted)"


@dataclass(frozen=True)
class Source:
    """A key's unit, where its value comes from and the range a reader should find plausible.

    Attributes:
        unit: e.g. ``per day``, ``km/h``, ``share (0-1)``, ``x`` (a multiplier).
        source: starts with one of :data:`SOURCE_KINDS` (see the module docstring).
        low, high: plausible range of the value (each element of a list or mapping); None: no range.
        note: the evidence row's address, or one line on why the range is plausible.
    """

    unit: str
    source: str
    low: float | None = None
    high: float | None = None
    note: str = ""

    @property
    def kind(self) -> str:
        """Which of :data:`SOURCE_KINDS` the source is."""
        return next((k for k in SOURCE_KINDS if self.source.startswith(k)), "")

    @property
    def range(self) -> str:
        """The range as text (``0.2 - 0.7``), or "" when none is given."""
        if self.low is None and self.high is None:
            return ""
        return f"{_num(self.low)} - {_num(self.high)}"


def _num(x: float | None) -> str:
    return "-inf" if x is None else f"{x:g}"


def A(unit: str, low: float | None, high: float | None, why: str) -> Source:  # noqa: N802 - table shorthand
    """An assumption with its range and one line on why."""
    return Source(unit, "assumption", low, high, why)


def S(unit: str, what: str) -> Source:  # noqa: N802
    """A setting of the run or scenario (no range)."""
    return Source(unit, f"setting: {what}")


P01 = "share (0-1)"
DAILY = "chance per day"
M = "governance.models.*."
K = "disputes.kinds.*."
E219 = "m.shh-meidi.com/shuzishizhi/nianjian/neimengguniajian/2020juan/fazhi/2021-10-19/22997.html (内蒙古年鉴)"

SOURCES: dict[str, Source] = {
    # --- the run ------------------------------------------------------------------------
    "seed": S("-", "makes every random stream (np.random.SeedSequence)"),
    "days": S("days", "simulated days; day 0 is 1 January"),
    "scale": S("share (0-1]", "fraction of the population simulated"),
    "progress": S("switch", "progress bar"),
    # --- the city -------------------------------------------------------------------------
    "city.name": S("name", "the world's name (scenarios/city/)"),
    "city.kind": S("table | synthetic", "a banner table or the synthetic county generator"),
    "city.table": S("name or CSV path", "built-in table sim/world/data/hulunbuir_banners.csv: 2020 census "
                    "populations and 2021 division codes, each row with its source"),
    "city.grids": Source("grids", f"{ART}: 6,997 grids (网格)", note="null: population / residents_per_grid"),
    "city.township_centres": Source("centres", f"{ART}: 141 township-level non-litigation centres",
                                    note="evidence 2.4 also gives 141 (en-health.articles01.com/?p=24310)"),
    "city.village_centres": Source("centres", f"{ART}: 1,136 village-level non-litigation centres",
                                   note="evidence 2.4 gives 1,111 (undated, en-health.articles01.com/?p=24310)"),
    "city.residents_per_grid": Source(
        "residents per grid", "evidence 2.11: census 2020 Hulunbuir 2,242,875 residents / 6,997 grids (article) = 321",
        150.0, 1250.0, "address: kjkxun.com/news/37333.html; range: national norm 300-500 households a grid "
                       "x ~2.5 (evidence 3.1, szhjjp.com/n/71039.html) is the top, sparse pastoral grids the bottom"),
    "city.population": S("residents", "synthetic county size"),
    "city.townships": S("townships", "synthetic county"),
    "city.villages_per_township": S("villages", "synthetic county (+-2 drawn)"),
    "city.area_km2": S("km2", "synthetic county"),
    "city.lat": S("degrees N", "synthetic county seat (Hailar's latitude)"),
    "city.lon": S("degrees E", "synthetic county seat (Hailar's longitude)"),
    "city.model_mix": S("relative weights", "synthetic county: townships' governance models"),
    # --- governance: which model where -------------------------------------------------------
    "governance.name": S("name", "the governance preset (scenarios/governance/)"),
    "governance.apply": Source("model", f"{ART}: classified models (分类化), one per kind of place"),
    "governance.banner_models": S("banner -> model", "per-banner what-if override"),
    "governance.police_grid_integration": Source("switch", f"{ART}: grid + police grid (网格+警格) in urban places"),
    "governance.anti_fraud_campaign": Source("switch", f"{ART}: anti-fraud campaign, fraud 30 -> 3.6 cases a day"),
    "governance.village_centres": Source("switch", f"{ART}: 1,136 village-level centres built 2020-2022"),
    "governance.township_centres": Source("switch", f"{ART}: 141 township-level centres"),
    "governance.village_centre_share": A(P01, 0.2, 1.0, "2022: every centre the article counts exists (1.0); "
                                         "pre_reform's 0.3 is a guess at how many committees worked as centres"),
    "governance.grid_workers_factor": A("x", 0.5, 1.0, "1.0 = the article's 23,912 (2022); pre_reform 0.6: "
                                        "the grid build-up of 2020-2022 is not quantified"),
    "governance.mediators_factor": A("x", 0.5, 1.0, "1.0 = 2022; pre_reform 0.75 (smaller village and "
                                     "township bodies before the centres)"),
    "governance.fraud_awareness_factor": Source(
        "x", f"{CAL}: pre_reform 0.15, fitted with the campaign to the article's historic peak of 30 "
             "fraud cases a day", 0.1, 1.0, "1.0 in the reformed scenarios"),
    "governance.enterprise_kinds": Source("kinds", f"{ART}: mining model, enterprises and visiting judges, "
                                          "prosecutors, police and lawyers (三官两员一律) on labour and property"),
    "governance.joint_kinds": Source("kinds", f"{ART}: forest model, local government and forestry bureaus "
                                     "handle forest-land disputes jointly"),
    # --- governance: the six models' levers (scenarios/governance/classified.yaml) -----------
    M + "dispute_rate": A("x", 0.7, 1.3, "places differ in dispute rates by tens of percent; no "
                          "per-place figure is published"),
    M + "kind_mix": Source(
        "relative weights (%)", "evidence 1.11: China 2011 mediated disputes by kind (CSY 2012 table 23-9: "
        "family 19.7%, neighbour ~22.9%, housing 6.9%, compensation 8.1%); per-model mixes are assumptions",
        0.0, 40.0, "address: stats.gov.cn/sj/ndsj/2012/html/W2309C.HTM; land up to 24% in a county "
                   "(evidence 1.18, taowenge.com/p-48651646.html), pastoral 34 is a guess"),
    M + "neighbour_detection": A(DAILY, 0.0, 0.1, "neighbour heads (rural) and 10,000 herder sentinels "
                                 "(pastoral, the article) see a visible dispute within weeks"),
    M + "neighbour_settle": A(P01, 0.0, 0.6, "neighbour heads settle small quarrels; below grid workers' rate"),
    M + "tech_detection": A(DAILY, 0.0, 0.05, "video and hotlines catch few private disputes"),
    M + "grid_settle": A(P01, 0.2, 0.8, "小事不出网格; ~80% of disputes resolved at the grassroots "
                         "(evidence 1.8, epaper.gmw.cn/gmrb/html/2021-06/26/nw.D110000gmrb_20210626_1-11.htm) "
                         "bounds the top"),
    M + "online_mediation": A(P01, 0.0, 0.5, "court-linked mediation: 1 in 2.2 sessions by video (evidence 6.2, "
                              "app.bjtitle.com newsid=6304206); people's mediation less"),
    M + "travel_kmh": A("km/h", 15.0, 70.0, "door-to-door speed over township roads by bus or car"),
    M + "police_kmh": A("km/h", 25.0, 80.0, "patrol car over rural roads; mounted and mobile units faster"),
    M + "police_dispatch_hours": A("hours", 0.1, 1.0, "time from call to departure"),
    M + "police_grid": A(DAILY, 0.0, 0.2, "police in the grid hear of a tense dispute within days to weeks"),
    M + "police_settle": A(P01, 0.3, 0.8, "most call-outs over civil disputes end on the spot"),
    M + "legal_support": A("log-odds of success", 0.0, 0.4, "visiting legal professionals raise the odds of "
                           "settling labour and property cases by up to ~50%"),
    M + "enterprise_mediation": A(P01, 0.0, 0.7, "share of labour/property cases resident enterprises take first"),
    M + "joint_handling": A("log-odds of success", 0.0, 0.4, "joint teams raise the odds for land disputes modestly"),
    M + "police_officials": A("log-odds of success", 0.0, 0.3, "a police village official present at mediation"),
    M + "village_police": A(P01, 0.0, 0.8, "share of border villages with a police officer as official"),
    M + "village_police_detection": A(DAILY, 0.0, 0.1, "as the neighbour watch, one officer per village"),
    M + "mobile_police": A(P01, 0.0, 0.6, "Grassland 110 and mounted teams on patrol meet a minority of call-outs"),
    M + "enterprise_settle": A(P01, 0.3, 0.8, "enterprise mediators settle most calm labour cases"),
    M + "fraud_awareness_visit": A("awareness (0-1)", 0.05, 0.3, "one anti-fraud talk on a visit"),
    # --- staffing ---------------------------------------------------------------------------------
    "staffing.name": S("name", "the staffing preset (scenarios/staffing/)"),
    "staffing.grid_workers_per_grid": Source(
        "workers per grid", f"{ART}: 23,912 grid workers / 6,997 grids = 3.42", 1.5, 5.0,
        "elsewhere in Inner Mongolia 5,600 staff / 2,332 grids = 2.4 (evidence 2.33, "
        "imline.cn/news/guonei/2024/0613130c52024.html)"),
    "staffing.mediators.village": A("mediators per centre", 1.0, 9.0, "a committee has 3-9 members (evidence 1.15, "
                                    "zhbj.org.cn/read/9f61408e3afb633e50cdf1b20de6f466.html); Huangshi 3.5 "
                                    "(evidence 1.19)"),
    "staffing.mediators.township": A("mediators per centre", 2.0, 10.0, "a township centre's full-time staff"),
    "staffing.mediators.banner": A("mediators per centre", 4.0, 20.0, "a banner centre's staff"),
    "staffing.mediators.city": A("mediators (whole centre)", 18.0, 72.0, "1 to 4 per workstation of the "
                                 "article's 1+18+N city centre"),
    "staffing.visits_per_worker_day": Source(
        "household visits per worker-day", "evidence 3.4: template norm, general households visited twice a year, "
        "vulnerable ones monthly; evidence 2.35: Hinggan League weekly visits (2025)", 0.4, 7.5,
        "addresses: tmdps.cn/a13/2019051512/b57be9d93ce3a6f5.html, big5.news.cn/gate/big5/nmg.news.cn/20260115/"
        "2d6df16e810a418a9590dfdbd6cd937f/c.html; with ~36 households a worker, 1.5 = ~4 visits a household a "
        "year (scenarios/staffing/baseline_2022.yaml)"),
    "staffing.duty_load": A(P01, 0.2, 0.7, "grid workers' other duties (小马拉大车, evidence 3.6, "
                            "baijiadoc.com/doc/cidmd69r3y; not quantified)"),
    "staffing.police_officers_per_post": A(
        "officers on call per post", 3.0, 35.0, "one Hulunbuir station: 30 police and 5 auxiliaries for 16,672 "
        "residents (evidence 2.28, cppsup.com.cn/news/show.aspx?id=10693); a shift holds a fraction"),
    "staffing.costs.grid_worker": A("yuan a year", 30000.0, 70000.0, "full- and part-time average with subsidies"),
    "staffing.costs.mediator.village": A("yuan a year", 5000.0, 30000.0, "part-time, a case subsidy"),
    "staffing.costs.mediator.township": A("yuan a year", 40000.0, 100000.0, "civil-service pay and overheads"),
    "staffing.costs.mediator.banner": A("yuan a year", 50000.0, 120000.0, "civil-service pay and overheads"),
    "staffing.costs.mediator.city": A("yuan a year", 60000.0, 140000.0, "civil-service pay and overheads"),
    "staffing.costs.police_officer": A("yuan a year", 100000.0, 250000.0, "salary, equipment and overheads"),
    # --- disputes ------------------------------------------------------------------------------
    "disputes.rate_per_10k": Source(
        "disputes per 10,000 residents a year", f"{CAL}: toward the article's 43,475 mediated cases (2022); "
        "fitted before Engine v2, set by hand since", 150.0, 500.0,
        "mediated alone: ~42 per 10,000 a year in 2019-21 (evidence 2.7, from 2.6 "
        "epaper.legaldaily.com.cn/fzrb/content/20211206/Articel04003GN.htm), 194 in 2022 (article)"),
    "disputes.initial_intensity": A("intensity (1 = boils over)", 0.1, 0.5, "new disputes start well below "
                                    "the police threshold"),
    "disputes.growth_per_day": A("intensity per day", 0.01, 0.05, "an unattended dispute boils over in weeks "
                                 "to a few months"),
    "disputes.waiting_growth_per_day": A("intensity per day", 0.0, 0.03, "queueing frustrates the parties less "
                                         "than being ignored"),
    "disputes.police_threshold": A("intensity", 0.7, 1.4, "the intensity scale's unit; sensitivity range"),
    "disputes.seasonality": A("relative amplitude", 0.0, 0.5, "seasonal swings of tens of percent"),
    "disputes.self_report": A(DAILY, 0.02, 0.1, "44% of cases came by application in Huangshi (evidence 1.17, "
                              "sfj.huangshi.gov.cn/xxgk_17/gknr/qt/sjfb/2019nyq/202102/t20210204_763413.html)"),
    "disputes.intensity_noise": A("lognormal sigma", 0.1, 0.5, "new disputes differ by tens of percent"),
    "disputes.fade_per_day": Source(
        DAILY, f"{CAL}: assumption set by hand (0.05): parties settle calm latent disputes themselves (自行和解)",
        0.0, 0.1, "0 switches it off (schema default); on: 0.01-0.1, most quarrels end without any agency"),
    "disputes.acute_share": Source(
        P01, f"{CAL}: assumption set by hand (0.08): flare-ups that reach the police the day they arise", 0.0, 0.1,
        "0 switches it off (schema default); on: 0.01-0.1 of disputes start as a fight"),
    "disputes.growth_noise": A("lognormal sigma", 0.2, 0.8, "day-to-day growth is erratic"),
    K + "growth": A("x", 0.7, 1.3, "land and labour disputes escalate faster than consumer ones"),
    K + "hardness": A("log-odds of success", -0.3, 0.5, "land disputes are hardest: 30 of 41 failures in one "
                      "county (evidence 1.18, taowenge.com/p-48651646.html)"),
    K + "service": A("x", 0.5, 1.5, "land and property cases need more sessions than consumer ones"),
    K + "season_peak_day": A("day of year (-1: none)", -1.0, 365.0, "Spring Festival (family), spring grazing "
                             "(land), summer (neighbour), year end (labour)"),
    # --- mediation -------------------------------------------------------------------------------
    "mediation.service_days": Source(
        "calendar days per case (full-time mediator)", "evidence 1.13: people's mediation should end within a month "
        "(人民调解工作若干规定 2002, art. 33)", 3.0, 30.0,
        "address: lawfaq.cn/law/24-140-3.html; court-referred mediation averaged 12-23 days (evidence 6.3, 6.4, "
        "6.8: app.bjtitle.com newsid=6202478, shigaopifa.com/bbs/4674.html, jju.news3.cn/jiadian/2023/0808/"
        "13636.html)"),
    "mediation.caseload": A("cases carried at once", 2.0, 10.0, "nationally ~4.7 cases per mediator a year "
                            "(evidence 1.1 and 1.3: 14.94 M cases / 3.176 M mediators, xjpeace.cn/content/"
                            "2023-10/09/content_48224.html), so loads are light on average"),
    "mediation.success": Source(
        "chance per case (base, before skill, actors, penalties)", f"{CAL}: set by hand (after Engine v2, not "
        "fitted) toward the article's 99.7% success (2022)", 0.6, 0.995,
        "combined on the log-odds scale; people's mediation reports 96-99% (evidence 1.6, 2.1: "
        "m.wnwk.com/doc/2732698.html, 2.8)"),
    "mediation.intensity_penalty": A("log-odds per unit intensity", 0.5, 3.0, "a dispute one unit tenser than 0.5 "
                                     "keeps 5-60% of its odds of settling"),
    "mediation.wait_penalty": A("log-odds per day waited", 0.0, 0.15, "a month's wait costs up to ~4 in log-odds"),
    "mediation.patience_days": Source(
        "days (mean)", f"{FIXED}: 365", 30.0, 365.0, "parties rarely abandon a case in the reformed network; "
        "the one-month norm (evidence 1.13, lawfaq.cn/law/24-140-3.html) bounds the bottom"),
    "mediation.escalate": Source(P01, f"{CAL}: fitted to the article's 99.7% success", 0.5, 0.99,
                                 "of failures: climb a tier rather than leave the network"),
    "mediation.litigate": A(P01, 0.2, 0.8, "1% of mediated disputes went to court with ~3% failing "
                            "(evidence 1.10, China 2009, formacion-profesional-a-distancia.com/china/2010-08/29/"
                            "content_20816112.htm) => about a third of failures"),
    "mediation.petition": A(P01, 0.0, 0.3, "a minority of parties petition (信访) after the top tier fails"),
    "mediation.availability": A("share of time on cases", 0.2, 1.0, "only 13% of mediators are full-time "
                                "(evidence 1.3, xjpeace.cn/content/2023-10/09/content_48224.html)"),
    "mediation.skill": A("x", 0.8, 1.3, "higher tiers hold more experienced mediators"),
    "mediation.skill_spread": A("lognormal sigma", 0.0, 0.3, "mediators differ by tens of percent"),
    "mediation.entry_cap": A("intensity", 0.5, 3.0, "dispatch sends tenser disputes higher (四级指挥调度)"),
    "mediation.failure_intensity": A("intensity", 0.0, 0.3, "a failed session hardens positions"),
    "mediation.travel_hours_per_day": A("hours a day", 4.0, 12.0, "daylight hours parties spend on the road"),
    # --- police and courts -----------------------------------------------------------------------
    "police.criminal_base": Source(
        "chance per unit intensity at a call-out", f"{CAL}: set by hand (0.008) against the 2019 -> 2022 fall in "
        "conversions", 0.005, 0.04, "~11 homicides a year expected in Hulunbuir at 0.5 per 100,000 (evidence "
        "4.15, from 4.1 m.ihouhe.com/cn/Instant/municipal/202209/t20220928_7282111.html); most conversions are "
        "injuries; schema default 0.04 (uncalibrated)"),
    "police.criminal_per_hour": A("chance per hour of response", 0.0, 0.03, "slow response lets a fight start"),
    "police.criminal_after_failure": A("chance per unit intensity", 0.0, 0.15, "failed tense disputes turn "
                                       "violent: only 24% of one county's conversions had been mediated (evidence "
                                       "4.12, hunantoday.cn/news/xhn/202512/31103619.html)"),
    "crime.background_per_10k": Source(
        "serious crimes per 10,000 residents a year", "evidence 2.30: Inner Mongolia 2020, 2,233 serious violent "
        "cases cleared / 24.05 M residents (evidence 2.10) = 0.93", 0.5, 1.5,
        "address: northnews.cn/news/2021/0108/1956239.html; cleared, not committed, cases: the range allows "
        "for both"),
    "crime.background_trend": Source(
        "change a year", "evidence 4.4: China, eight major categories Jan-Aug 2022 -7.8% year on year", -0.12, 0.0,
        "address: m.ihouhe.com/cn/Instant/municipal/202209/t20220928_7282111.html; the article's Hulunbuir "
        "2022 figure, -12.13%, includes the disputes that turn criminal"),
    "courts.judges_per_court": Source(
        "judges", "evidence 2.19: Inner Mongolia, 4,153 judges in 123 courts = 34 (2019)", 14.0, 40.0,
        f"address: {E219}; Erguna court: 4,058 cases at 285 per judge = 14 judges (evidence 2.23, "
        "eegnfy.nmgfy.gov.cn/article/detail/2023/03/id/7188314.shtml)"),
    "courts.case_days": Source(
        "days (mean)", "evidence 2.26: Hohhot courts 2022, 60 days average", 30.0, 60.0,
        "address: static.0471tv.org.cn/rb/pc/con/202301/28/content_16188.html; a basic court 30.5 days "
        "(evidence 6.13)"),
    "courts.case_shape": A("gamma shape", 1.0, 4.0, "right-skewed days to judgment, almost all within the simple "
                           "procedure's 3 months and the ordinary 6 (evidence 6.11)"),
    "courts.caseload_per_judge": Source(
        "cases at once", "evidence 6.1: basic-court judges closed 274 cases each in 2022; x 60 days a case "
        "(evidence 2.26) / 365 (Little's law) = 45", 20.0, 50.0,
        "address: app.bjtitle.com/8816/newshow.php?newsid=6314944 (北青 2023-03-10)"),
    "courts.dispute_share": A(P01, 0.2, 0.5, "share of judges' case slots open to the kinds simulated: civil and "
                              "commercial were 434k of 784k cases closed in IM 2019 (evidence 2.21), loans and "
                              "contracts (not simulated) much of them"),
    "courts.direct_share": A(P01, 0.3, 1.0, "found disputes taken straight to court at the police threshold; sized "
                             "to 40-100 filings per 10,000 a year (IM courts ~360 per 10,000 in 2022, evidence "
                             "2.20; civil ~55%, evidence 2.21; the simulated kinds 20-50% of civil)"),
    "courts.referral_share": Source(
        P01, "evidence 6.8: pre-suit mediation took 36% of disputes brought to court, 2023 H1", 0.29, 0.57,
        "address: jju.news3.cn/jiadian/2023/0808/13636.html; the diversion rate rose from 29% to 57% over "
        "2023 (evidence 6.9)"),
    "courts.referral_success": Source(
        P01, "evidence 6.4: court-referred mediation success 65.04% (2020)", 0.6, 0.7,
        "address: shigaopifa.com/bbs/4674.html (SPC 2021-02-20); 62.88% cumulative to 2021 (evidence 6.5), "
        "68.7% in 2023 (evidence 6.9)"),
    "courts.referral_days": Source(
        "days (mean)", "evidence 6.3: pre-suit mediation averaged 12 days (2021)", 12.0, 23.0,
        "address: app.bjtitle.com/8816/newshow.php?newsid=6202478; 13.9 days in 2023 H1 (evidence 6.8), "
        "23.3 in 2020 (evidence 6.4)"),
    "courts.referral_limit_days": Source(
        "days", "evidence 6.10: pre-suit mediation's time limit is 30 days", 30.0, 30.0,
        "address: ynqfy.gxcourt.gov.cn/article/detail/2023/04/id/7241108.shtml"),
    "courts.online_share": A(P01, 0.05, 0.67, "1.275 M online hearings in 2021 (evidence 6.5) against ~14 M civil "
                             "first-instance cases (evidence 6.4) ~9%; Beijing 67% (evidence 6.6); the article: 104 "
                             "courts hold hearings online"),
    "courts.hearing_trips": A("round trips", 1.0, 3.0, "filing and hearing"),
    "petitions.after_failure": A(P01, 0.005, 0.05, "a failed session ends in a petition; no petition volumes for "
                                 "Hulunbuir or IM were found (evidence 2.36)"),
    "petitions.direct_share": A(P01, 0.005, 0.06, "found disputes taken first to the petition office at the police "
                                "threshold: ~0.5-6 petitions per 10,000 a year"),
    "petitions.handling_days": A("days (mean)", 15.0, 60.0, "within the 60-day norm (evidence 6.12)"),
    "petitions.limit_days": Source(
        "days", "evidence 6.12: petitions handled within 60 days, extendable by 30 (信访工作条例)", 60.0, 90.0,
        "address: xfj.panzhihua.gov.cn/hdjl/zmhdcjwtzsk/rdwd/10216607.shtml"),
    # --- detection and settlement ------------------------------------------------------------------
    "detection.visit_notice": A(P01, 0.4, 0.9, "a visit notices most visible trouble in the household"),
    "detection.visibility_floor": A(P01, 0.1, 0.5, "calm disputes are mostly private"),
    "detection.visibility_slope": A("per unit intensity", 0.3, 1.0, "tense disputes are hard to hide"),
    "detection.police_grid_intensity": A("intensity", 0.4, 0.9, "the police hear of disputes near boiling over"),
    "detection.self_report_gain": A("x", 1.0, 3.0, "tense disputes are reported more"),
    "detection.self_report_cap": A("intensity", 1.0, 2.0, "reporting stops rising past the police threshold"),
    "detection.household_size": Source(
        "residents per household", "evidence 2.15: 2.44 residents per household (Zhalantun, census 2020)",
        2.3, 3.0, "address: cqbjxzl.com/OpennessContent/show/319454.html; the default 2.6 is above this one "
                  "Hulunbuir figure"),
    "settlement.calm_limit": A("intensity", 1.0, 2.0, "on-the-spot settlement fades as intensity nears it"),
    "settlement.police_calm_limit": A("intensity", 1.0, 2.0, "police authority settles slightly tenser disputes"),
    "settlement.grid_cap": A("chance", 0.9, 1.0, "no on-the-spot settlement is certain"),
    "settlement.worker_skill_spread": A("lognormal sigma", 0.0, 0.3, "grid workers differ by tens of percent"),
    "settlement.enterprise_days": A("days (mean)", 0.5, 7.0, "an enterprise mediator acts within days"),
    "settlement.mobile_km_share": A(P01, 0.1, 0.6, "a patrol on the grassland is nearer than the post"),
    "settlement.callout_calming": A(P01, 0.0, 0.5, "a call-out cools tempers"),
    "settlement.police_arrival_days": A("days", 0.02, 0.25, "an hour to six hours on the scene"),
    "settlement.village_police_hours": A("hours", 0.05, 1.0, "the village's own officer reacts at once"),
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
        P01, f"{CAL}: assumption set by hand (0.6) with the reform timeline", 0.3, 0.8,
        "share of raised fraud awareness that becomes a lasting floor; schema default 0.5"),
    "residents.concentration": A("Beta concentration", 2.0, 10.0, "residents differ widely around the mean"),
    "residents.tension_feedback": A("tension per unit satisfaction", 0.0, 0.5, "a bad closure leaves resentment"),
    "residents.satisfaction_neutral": A("satisfaction (0-1)", 0.4, 0.8, "below this a closure leaves resentment"),
    "fraud.attempts_per_10k_day": Source("attempts per 10,000 residents a day", f"{CAL}: fitted to the article's "
                                         "3.6 fraud cases a day (2022) and 30 at the peak", 0.5, 10.0,
                                         "residents are targeted by calls and messages weekly; most fail"),
    "fraud.success": A("chance per attempt (unaware)", 0.01, 0.1, "a few percent of unaware targets are "
                       "deceived; 97.6% of warned targets dissuaded (evidence 5.9, m.themetaldrummer.com/news/"
                       "20210625/26666.html)"),
    "fraud.campaign_boost": Source("awareness per contact", f"{FIXED}: 0.5", 0.1, 0.6,
                                   "one talk, SMS or app warning"),
    "fraud.campaign_reach_per_10k_day": Source(
        "residents per 10,000 a day", f"{CAL}: fitted to 3.6 and 30 fraud cases a day (article)", 20.0, 400.0,
        "national 2021: 3.62 billion warning SMS (evidence 5.2, northnews.cn/news/2022/0101/2057038.html) = "
        "~70 per 10,000 a day; 300 adds talks, app alerts and visits"),
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
        "score (0-1)", f"{CAL}: assumption set by hand with the courts (a judgment counts as a settled case for "
        "residents' sense of public safety)", 0.55, 0.97, "the range the calibration file itself states; court "
        "is slower and adversarial, so below a resolved dispute's 1.0"),
    "satisfaction.withdrawn": A("score (0-1)", 0.2, 0.7, "an abandoned dispute leaves the parties unsatisfied"),
    "satisfaction.criminal": A("score (0-1)", 0.0, 0.3, "violence is the worst outcome"),
    "satisfaction.per_day": Source("score per day open", f"{CAL}: fitted to the article's 99.33% satisfaction",
                                   0.0, 0.003, "sensitivity range"),
    "satisfaction.per_level": Source("score per level climbed", f"{CAL}: fitted to the article's 99.33% "
                                     "satisfaction", 0.0, 0.02, "climbing the ladder costs the parties"),
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

_STAFF_FACTORS = {"grid_workers": "grid workers", "village": "village mediators", "township": "township mediators",
                  "banner": "banner mediators", "police_officers": "police officers"}
for _group, _where in (("by_model", "a governance model's places"), ("by_banner", "one banner")):
    for _f, _what in _STAFF_FACTORS.items():
        SOURCES[f"staffing.{_group}.*.{_f}"] = S("x", f"what-if multiplier on {_what} in {_where} (1: 2022)")


def schema_keys(cls: type = Config, prefix: str = "") -> dict[str, Any]:
    """Every leaf key of the configuration schema with its type, in declaration order.

    Nested sections are walked; a mapping of sections (``governance.models``) contributes its
    fields under ``*`` (``governance.models.*.police_grid``), so keys exist even where the
    default mapping is empty (``staffing.by_banner``). Lists and mappings of plain values are
    one key each (``mediation.success``, ``city.model_mix``).
    """
    hints = get_type_hints(cls)
    keys: dict[str, Any] = {}
    for f in fields(cls):
        kind, key = hints[f.name], prefix + f.name
        args = get_args(kind)
        if is_dataclass(kind):
            keys.update(schema_keys(kind, key + "."))  # type: ignore[arg-type]
        elif get_origin(kind) is dict and is_dataclass(args[1]):
            keys.update(schema_keys(args[1], key + ".*."))  # type: ignore[arg-type]
        else:
            keys[key] = kind
    return keys


def source_for(key: str) -> Source:
    """The entry for a concrete key, e.g. ``governance.models.urban.police_grid``.

    Mapping entries resolve to their pattern (``governance.models.*.police_grid``), list
    elements (``mediation.success[0]``) and entries of a mapping of plain values
    (``city.model_mix.urban``) to the mapping's key.

    Raises:
        KeyError: naming the key, when no entry covers it.
    """
    pattern = _resolve(re.sub(r"\[\d+\]$", "", key))
    if pattern is None:
        raise KeyError(f"{key}: no source entry in sim.mechanisms.sources.SOURCES")
    return SOURCES[pattern]


def _resolve(key: str) -> str | None:
    if key in SOURCES:
        return key
    parts = key.split(".")
    for i in range(len(parts)):
        starred = ".".join(parts[:i] + ["*"] + parts[i + 1:])
        if starred in SOURCES:
            return starred
    parent = _resolve(".".join(parts[:-1])) if len(parts) > 1 else None
    if parent is not None and get_origin(_SCHEMA.get(parent)) is dict:  # an entry of a mapping of values
        return parent
    return None


_SCHEMA = schema_keys()
