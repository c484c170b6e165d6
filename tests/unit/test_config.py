"""Value checks: one line naming the key and the bad value."""

import pytest

from sim.checks import check
from sim.config import Config
from sim.errors import ShouwangError


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: setattr(c, "days", 0), "days: must be > 0, got 0"),
        (lambda c: setattr(c, "scale", 1.5), r"scale: must be in \(0, 1\], got 1.5"),
        (lambda c: setattr(c, "scale", 0.0), r"scale: must be in \(0, 1\], got 0.0"),
        (lambda c: setattr(c.staffing, "grid_workers_per_grid", -1.0),
         "staffing.grid_workers_per_grid: must be >= 0, got -1.0"),
        (lambda c: setattr(c.staffing, "grid_workers_per_grid", float("nan")),
         "staffing.grid_workers_per_grid: must be a finite number, got nan"),
        (lambda c: setattr(c.staffing, "duty_load", 1.2),
         r"staffing.duty_load: a probability must be in \[0, 1\], got 1.2"),
        (lambda c: setattr(c.governance.models["rural"], "grid_settle", 2.0),
         r"governance.models.rural.grid_settle: a probability must be in \[0, 1\], got 2.0"),
        (lambda c: setattr(c.governance, "apply", "nomadic"), "governance.apply: unknown model 'nomadic'"),
        (lambda c: setattr(c.staffing.mediators, "village", 0.0),
         "staffing.mediators.village: 0 mediators at a tier that receives disputes"),
        (lambda c: c.governance.banner_models.update({"Hailar District": "space"}),
         "governance.banner_models.Hailar District: unknown model 'space'"),
    ],
)
def test_bad_values_are_refused_with_the_key(change, message):
    cfg = Config()
    change(cfg)
    with pytest.raises(ShouwangError, match=message):
        check(cfg)


def test_defaults_pass():
    assert check(Config()).seed == 0


def test_zero_village_mediators_allowed_when_the_tier_is_closed():
    cfg = Config()
    cfg.staffing.mediators.village = 0.0
    cfg.governance.village_centres = False
    check(cfg)
