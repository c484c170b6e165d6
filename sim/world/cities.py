"""Township plans for real and synthetic cities, and the one call that builds a world."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.catalogue import declare
from sim.config import PLACE_MODELS, CityConfig
from sim.world.apportion import apportion
from sim.world.hierarchy import World, build_world
from sim.world.table import load_banner_table

declare("city_hierarchy", "setup",
        "The world is a tree, city -> banners -> townships -> villages and communities -> grids: banners from "
        "the banner table (2020 census populations, 2021 division codes), townships and villages allocated "
        "inside each banner by seeded weights, grids of about residents_per_grid residents each (or a fixed "
        "count), village and township centres among them (or one per unit); places and travel come from it.",
        ("city.grids", "city.residents_per_grid", "city.township_centres", "city.village_centres"),
        "市-旗-乡镇-村-网格")
declare("synthetic_county", "setup",
        "For tests and training, a one-banner county of any size: townships take governance models from a "
        "mix (apportioned, shuffled by the world stream), each holds a few villages (or communities, urban), "
        "around a county seat.",
        ("city.population", "city.townships", "city.villages_per_township", "city.area_km2", "city.lat",
         "city.lon", "city.model_mix"))


def plan_from_table(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Banners and township plan from a banner table (2021 statistical division codes).

    Streets (街道) hold residents' committees and are urban; towns (镇) hold the remaining
    communities and a share of the village committees; sumu/xiang (苏木/乡) hold village
    committees (嘎查/村). Each township holds at least one unit.
    """
    banners = pd.DataFrame(
        {
            "code": table["code"],
            "name": table["name_en"],
            "name_zh": table["name_zh"],
            "model": table["primary_model"],
            "population": table["population_2020"],
            "area_km2": table["area_km2"],
            "lat": table["seat_lat"],
            "lon": table["seat_lon"],
        }
    )
    rows = []
    for b, r in table.reset_index(drop=True).iterrows():
        kinds = ["street"] * r["streets"] + ["town"] * r["towns"] + ["sumu"] * r["sumu_xiang"]
        kinds_arr = np.array(kinds)
        # communities: streets weigh 3, towns 1 (their seat community); sumu only if nothing else
        cw = np.select([kinds_arr == "street", kinds_arr == "town"], [3.0, 1.0], 0.0)
        if cw.sum() == 0:
            cw = np.ones(len(kinds))
        vw = np.where(kinds_arr == "street", 0.0, 1.0)
        if vw.sum() == 0:
            vw = np.ones(len(kinds))
        communities = apportion(int(r["residents_committees"]), cw)
        villages = apportion(int(r["village_committees"]), vw)
        # every township holds at least one unit: take from the one holding most
        for empty in np.flatnonzero(communities + villages == 0):
            donor = int(np.argmax(communities + villages))
            if communities[donor] >= villages[donor]:
                communities[donor] -= 1
                communities[empty] += 1
            else:
                villages[donor] -= 1
                villages[empty] += 1
        models = place_models(kinds, communities, r["primary_model"], str(r["types"]).split(";"))
        counters = {"street": 0, "town": 0, "sumu": 0}
        for t, kind in enumerate(kinds):
            counters[kind] += 1
            rows.append(
                {
                    "banner": b,
                    "name": f"{r['name_en']} {kind} {counters[kind]}",
                    "kind": kind,
                    "model": models[t],
                    "communities": int(communities[t]),
                    "villages": int(villages[t]),
                }
            )
    return banners, pd.DataFrame(rows)


SPECIAL = ("mining", "border")
FRONTIER_SHARE = 1 / 3  # share of a border banner's sumu/xiang that lie on the frontier (assumption: 1/4-1/2)


def place_models(kinds: list[str], communities: np.ndarray, primary: str, types: list[str]) -> list[str]:
    """The governance model of each township of a banner (分类化: one model per kind of place).

    The article's rule: streets and communities are urban, villages take the banner's model, except
    where the article names the place's own model: the communities of a banner whose model is mining
    or border (Zalainuoer's mining areas, Manzhouli's border port) take that model; in a banner whose
    ``types`` list mining, its most urban town (most communities) is its mining place; in a banner
    whose ``types`` list border, the frontier gacha are the last third (at least one) of its
    sumu/xiang (of its towns if it has none), in division-code order (no geography of the border
    line is shipped: an assumption).
    """
    models = [primary if (k != "street" or primary in SPECIAL) else "urban" for k in kinds]
    towns = [t for t, k in enumerate(kinds) if k == "town"]
    if "mining" in types and primary != "mining" and towns:
        models[max(towns, key=lambda t: (communities[t], -t))] = "mining"
    if "border" in types and primary != "border":
        rural = [t for t, k in enumerate(kinds) if k == "sumu" and models[t] != "mining"]
        rural = rural or [t for t in towns if models[t] != "mining"]
        n = max(1, round(FRONTIER_SHARE * len(rural))) if rural else 0
        for t in rural[len(rural) - n:]:
            models[t] = "border"
    return models


def synthetic_county(city: CityConfig, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A one-banner county of any size for tests and training.

    Townships take models from ``city.model_mix`` (apportioned, then shuffled by the world
    stream); urban townships are streets of communities, the others towns or sumu of villages.
    """
    models = [m for m in PLACE_MODELS if city.model_mix.get(m, 0) > 0]
    counts = apportion(city.townships, np.array([city.model_mix[m] for m in models]))
    t_models = np.repeat(models, counts)
    rng.shuffle(t_models)
    main = max(models, key=lambda m: city.model_mix[m])
    banners = pd.DataFrame(
        [{"code": "000000", "name": city.name, "name_zh": city.name, "model": main,
          "population": city.population, "area_km2": city.area_km2,
          "lat": city.lat, "lon": city.lon}]
    )
    rows = []
    for t, model in enumerate(t_models):
        kind = "street" if model == "urban" else ("sumu" if model in ("pastoral", "border") else "town")
        n = max(1, int(rng.integers(max(1, city.villages_per_township - 2),
                                    city.villages_per_township + 3)))
        rows.append(
            {
                "banner": 0,
                "name": f"{city.name} {kind} {t + 1}",
                "kind": kind,
                "model": str(model),
                "communities": n if kind == "street" else 0,
                "villages": 0 if kind == "street" else n,
            }
        )
    return banners, pd.DataFrame(rows)


def build_city(city: CityConfig, rng: np.random.Generator) -> World:
    """Build the world a scenario's ``city`` section describes."""
    if city.kind == "table":
        table = load_banner_table(city.table)
        banners, plan = plan_from_table(table)
        seat = banners.iloc[0]  # the first row is the city seat (Hailar District for Hulunbuir)
        lat, lon = float(seat["lat"]), float(seat["lon"])
    else:
        banners, plan = synthetic_county(city, rng)
        lat, lon = city.lat, city.lon
    return build_world(
        city.name, banners, plan, rng,
        grids=city.grids,
        residents_per_grid=city.residents_per_grid,
        township_centres=city.township_centres,
        village_centres=city.village_centres,
        city_lat=lat,
        city_lon=lon,
    )
