"""Staffing factors, the reform's build-up, costs and shocks (issue 3)."""

import numpy as np
import pytest

from sim.checks import check
from sim.config import PLACE_MODELS, Config, StaffFactors
from sim.costs import staff_costs
from sim.errors import ShouwangError
from sim.model import ShouwangModel
from sim.planning import thin_village_centres
from sim.shocks import Shocks
from tests.conftest import demo_config


def _workers_by_model(model: ShouwangModel) -> dict[str, int]:
    grids = np.array([a.grid for a in model.workforce.agents])
    own = model.places.grid_own_model[grids]
    return {m: int((own == i).sum()) for i, m in enumerate(PLACE_MODELS)}


def test_unknown_banner_in_a_staffing_override_is_one_line():
    cfg = demo_config()
    cfg.staffing.by_banner = {"Atlantis Banner": StaffFactors(township=2.0)}
    with pytest.raises(ShouwangError) as err:
        ShouwangModel(cfg)
    msg = str(err.value)
    assert "\n" not in msg and "staffing.by_banner" in msg and "'Atlantis Banner'" in msg and "demo_county" in msg


def test_unknown_banner_in_a_model_override_is_one_line():
    cfg = demo_config()
    cfg.governance.banner_models = {"Nowhere": "urban"}
    with pytest.raises(ShouwangError, match=r"^governance.banner_models: unknown banner 'Nowhere'"):
        ShouwangModel(cfg)


def test_by_model_factor_cuts_only_that_models_places():
    base = _workers_by_model(ShouwangModel(demo_config()))
    cfg = demo_config()
    cfg.staffing.by_model["pastoral"].grid_workers = 0.5
    cut = _workers_by_model(ShouwangModel(cfg))
    assert cut["pastoral"] == pytest.approx(base["pastoral"] * 0.5, abs=2)
    for m in ("urban", "rural", "forest"):  # whole workers are apportioned: a few move by rounding
        assert cut[m] == pytest.approx(base[m], abs=4)


def test_by_banner_factor_and_reform_build_up():
    base = ShouwangModel(demo_config())
    cfg = demo_config()
    cfg.staffing.by_banner = {"demo_county": StaffFactors(township=1.5, police_officers=2.0)}
    more = ShouwangModel(cfg)
    assert more.mediators["township"] == 6 * base.staff.centre_counts()["township"]  # 4 x 1.5 per centre
    assert sum(p.officers.capacity for p in more.staff.posts.values()) == 2 * sum(
        p.officers.capacity for p in base.staff.posts.values())
    cfg = demo_config()
    cfg.governance.village_centre_share = 0.3
    cfg.governance.grid_workers_factor = 0.6
    pre = ShouwangModel(cfg)
    assert pre.staff.centre_counts()["village"] < 0.5 * base.staff.centre_counts()["village"]
    assert pre.staff.centre_counts()["village"] >= base.staff.centre_counts()["township"]  # at least one per township
    assert pre.workforce.count == pytest.approx(0.6 * base.workforce.count, abs=3)


def test_thinned_villages_go_to_a_kept_centre_of_their_township():
    import pandas as pd

    villages = pd.DataFrame({"township": [0, 0, 0, 0, 1, 1]})
    centre = np.arange(6)
    out = thin_village_centres(villages, centre, 0.5, np.random.default_rng(0))
    assert len(np.unique(out[:4])) == 2 and len(np.unique(out[4:])) == 1
    assert set(out[:4]) <= {0, 1, 2, 3} and set(out[4:]) <= {4, 5}
    assert (out[out] == out).all()  # every kept centre hosts itself


def test_costs_are_payroll_over_the_days():
    cfg = Config(days=73)  # a fifth of a year
    c = staff_costs(cfg, 10, {"village": 3, "township": 4, "banner": 8, "city": 36}, 6)
    assert c["grid_workers"] == pytest.approx(10 * 42000 / 5)
    assert c["mediators"] == pytest.approx((3 * 12000 + 4 * 60000 + 8 * 80000 + 36 * 90000) / 5)
    assert c["total"] == pytest.approx(c["grid_workers"] + c["mediators"] + 6 * 150000 / 5)


def test_bad_planning_values_are_refused():
    cfg = Config()
    cfg.staffing.by_model["steppe"] = StaffFactors()
    with pytest.raises(ShouwangError, match=r"^staffing.by_model: unknown model 'steppe'"):
        check(cfg)
    cfg = Config()
    cfg.shocks.grazing.kind = "yak"
    with pytest.raises(ShouwangError, match=r"^shocks.grazing.kind: unknown dispute kind 'yak'"):
        check(cfg)
    cfg = Config()
    cfg.shocks.epidemic.diverted = 1.5
    with pytest.raises(ShouwangError, match=r"^shocks.epidemic.diverted: a probability must be in \[0, 1\], got 1.5"):
        check(cfg)


def test_shock_windows():
    cfg = Config().shocks
    cfg.epidemic.start_day, cfg.epidemic.days, cfg.epidemic.diverted = 10, 5, 0.6
    cfg.grazing.start_day, cfg.grazing.days, cfg.grazing.factor = 90, 30, 2.5
    cfg.wage_arrears.start_day, cfg.wage_arrears.days, cfg.wage_arrears.factor = 350, 30, 3.0
    place = np.array([PLACE_MODELS.index("pastoral"), PLACE_MODELS.index("urban")])
    s = Shocks(cfg, place)
    assert [s.diverted(d) for d in (9, 10, 14, 15)] == [0.0, 0.6, 0.6, 0.0]
    assert s.rate_factor(50) is None
    f = s.rate_factor(100)
    assert f[0, 2] == 2.5 and f[1, 2] == 1.0 and f.sum() == 15 + 2.5  # land, pastoral grid only
    assert s.rate_factor(360)[:, 3].tolist() == [3.0, 3.0]  # labour, everywhere
    assert s.rate_factor(365 + 10)[:, 3].tolist() == [3.0, 3.0]  # wraps into January
