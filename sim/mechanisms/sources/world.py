"""Sources of the run's settings, the city, governance (which model where, the six models' levers)
and staffing."""

from __future__ import annotations

from sim.mechanisms.sources.base import ART, DAILY, HM, P01, A, M, S, Source

WORLD: dict[str, Source] = {
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
    "governance.fraud_awareness_factor": A("x", 0.1, 1.0, "1.0 in the reformed scenarios; pre_reform 0.15, set by an earlier fit with the "
      "campaign to the article's historic peak of 30 fraud cases a day (not history-matched: the peak is now "
      "matched through fraud.attempts_per_10k_day)"),
    "governance.enterprise_kinds": Source("kinds", f"{ART}: mining model, enterprises and visiting judges, "
                                          "prosecutors, police and lawyers (三官两员一律) on labour and property"),
    "governance.joint_kinds": Source("kinds", f"{ART}: forest model, local government and forestry bureaus "
                                     "handle forest-land disputes jointly"),
    "governance.sector_tiers": Source(
        "kind -> tier", "evidence 1.7: besides 657k village and community committees, China had 43k sectoral "
        "and professional committees (labour, traffic-accident, medical, consumer) and 16k rooms stationed in "
        "departments (2018); evidence 2.2: Inner Mongolia's 649 committees in courts, police, traffic and "
        "petition departments (2022); evidence 1.8: ~80% of mediated disputes settled at the grassroots",
        note="assumption as to which tier: compensation (traffic accidents, medical disputes) and consumer "
             "disputes at the banner centre, where the sectoral committees sit (the article's 14 banner-level "
             "centres), labour at the township (labour-security stations); range: labour township-banner, "
             "consumer village-banner"),
    "governance.kind_dispatch": A(P01, 0.3, 1.0, "1.0 in 2022: the four-level dispatch centres (四级指挥调度, "
                                  "the article) route every found dispute of a sectoral kind; pre_reform 0.5: "
                                  "the sectoral committees existed (evidence 1.6, 1.7) but the parties found "
                                  "them themselves about half the time (a guess)"),
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
        "household visits per worker-day", f"{HM}; prior from "
        "evidence 3.4 (template norm: general households twice a year, vulnerable ones monthly) to 2.35 "
        "(Hinggan League's weekly visits, 2025)", 0.5, 4.0,
        "addresses: tmdps.cn/a13/2019051512/b57be9d93ce3a6f5.html, big5.news.cn/gate/big5/nmg.news.cn/20260115/"
        "2d6df16e810a418a9590dfdbd6cd937f/c.html; with ~36 households a worker, 3.6 = ~9 visits a household a "
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
}

_STAFF_FACTORS = {"grid_workers": "grid workers", "village": "village mediators", "township": "township mediators",
                  "banner": "banner mediators", "police_officers": "police officers"}
for _group, _where in (("by_model", "a governance model's places"), ("by_banner", "one banner")):
    for _f, _what in _STAFF_FACTORS.items():
        WORLD[f"staffing.{_group}.*.{_f}"] = S("x", f"what-if multiplier on {_what} in {_where} (1: 2022)")
