"""Sources of how disputes arise and grow, mediation, police, courts, petitions, detection and
on-the-spot settlement."""

from __future__ import annotations

from sim.mechanisms.sources.base import DAILY, E219, FIXED, HM, P01, A, K, Source

DISPUTES: dict[str, Source] = {
    # --- disputes ------------------------------------------------------------------------------
    "disputes.rate_per_10k": Source(
        "disputes per 10,000 residents a year", HM, 300.0, 650.0,
        "mediated alone: ~42 per 10,000 a year in 2019-21 (evidence 2.7, from 2.6 "
        "epaper.legaldaily.com.cn/fzrb/content/20211206/Articel04003GN.htm), 194 in 2022 (article); "
        "non-implausible range in results/calibration/report.md"),
    "disputes.initial_intensity": A("intensity (1 = boils over)", 0.1, 0.5, "new disputes start well below "
                                    "the police threshold"),
    "disputes.growth_per_day": Source("intensity per day", HM, 0.01, 0.05,
                                      "an unattended dispute boils over in weeks to a few months"),
    "disputes.waiting_growth_per_day": A("intensity per day", 0.0, 0.03, "queueing frustrates the parties less "
                                         "than being ignored"),
    "disputes.police_threshold": A("intensity", 0.7, 1.4, "the intensity scale's unit; sensitivity range"),
    "disputes.seasonality": A("relative amplitude", 0.0, 0.5, "seasonal swings of tens of percent"),
    "disputes.self_report": Source(DAILY, HM, 0.02, 0.1, "44% of cases came by application in "
                                   "Huangshi (evidence 1.17, sfj.huangshi.gov.cn/xxgk_17/gknr/qt/sjfb/2019nyq/"
                                   "202102/t20210204_763413.html)"),
    "disputes.intensity_noise": A("lognormal sigma", 0.1, 0.5, "new disputes differ by tens of percent"),
    "disputes.fade_per_day": Source(
        DAILY, f"{HM}: parties settle calm latent disputes themselves (自行和解)", 0.0, 0.1,
        "0 switches it off (schema default); most quarrels end without any agency"),
    "disputes.acute_share": Source(
        P01, f"{HM}: flare-ups that reach the police the day they arise", 0.0, 0.15,
        "0 switches it off (schema default); 65% of conversions escalated from a quarrel to a fight "
        "(evidence 4.12)"),
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
        "chance per case (base, before skill, actors, penalties)", f"{FIXED}: set by hand toward the article's "
        "99.7% success (2022), not history-matched", 0.6, 0.995,
        "combined on the log-odds scale; people's mediation reports 96-99% (evidence 1.6, 2.1: "
        "m.wnwk.com/doc/2732698.html, 2.8)"),
    "mediation.intensity_penalty": Source("log-odds per unit intensity", HM, 0.5, 4.0,
                                          "a dispute one unit tenser than 0.5 keeps 2-60% of its odds of settling"),
    "mediation.wait_penalty": A("log-odds per day waited", 0.0, 0.15, "a month's wait costs up to ~4 in log-odds"),
    "mediation.patience_days": Source(
        "days (mean)", f"{FIXED}: 365", 30.0, 365.0, "parties rarely abandon a case in the reformed network; "
        "the one-month norm (evidence 1.13, lawfaq.cn/law/24-140-3.html) bounds the bottom"),
    "mediation.escalate": Source(P01, f"{FIXED}: 0.9824, from an earlier one-year fit to "
                                 "the article's 99.7% success, not history-matched", 0.5, 0.99,
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
        "chance per unit intensity at a call-out", f"{HM} (prior 0.002-0.02), against the "
        "2019 -> 2022 fall in conversions", 0.002, 0.04, "~11 homicides a year expected in Hulunbuir at 0.5 per 100,000 (evidence "
        "4.15, from 4.1 m.ihouhe.com/cn/Instant/municipal/202209/t20220928_7282111.html); most conversions are "
        "injuries; schema default 0.04 (uncalibrated)"),
    "police.criminal_per_hour": A("chance per hour of response", 0.0, 0.03, "slow response lets a fight start"),
    "police.criminal_after_failure": A("chance per unit intensity", 0.0, 0.15, "failed tense disputes turn "
                                       "violent: only 24% of one county's conversions had been mediated (evidence "
                                       "4.12, hunantoday.cn/news/xhn/202512/31103619.html)"),
    "crime.background_per_10k": Source(
        "serious crimes per 10,000 residents a year, apart from the disputes that turn criminal",
        f"{HM} (prior 0.1-0.6: evidence 2.30, Inner Mongolia 2020, 2,233 serious violent cases cleared / "
        "24.05 M residents (evidence 2.10) = 0.93, of which 36-90% dispute-born (evidence 4.8-4.10)), against "
        "serious crimes in 2022 (IM courts' 2,114, evidence 2.22, at Hulunbuir's population)", 0.1, 0.6,
        "address: northnews.cn/news/2021/0108/1956239.html; the conversions are counted on top, so the "
        "whole 0.93 here would count dispute-born crimes twice"),
    "crime.background_trend": Source(
        "change a year", f"{HM}; prior from evidence 4.4 (China, eight major categories Jan-Aug 2022 "
        "-7.8% year on year) to a flat trend", -0.12, 0.0,
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
}
