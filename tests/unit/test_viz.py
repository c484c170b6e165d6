"""The pictures trainers show: the live county behind the dashboard, the saved-run replay and
the GIF command. The browser itself is tested in tests/browser/."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from sim.errors import ShouwangError
from sim.results import read_run
from sim.run import run
from sim.viz.hierarchy import ROW_Y, tree_layout
from sim.viz.live import Controls, LiveCounty, demo_config, epidemic_preset
from sim.viz.replay import replay
from sim.viz.series import daily_series, smoothed_satisfaction
from tests.conftest import demo_config as county_config


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """The demo county for 40 days, saved as a run folder."""
    out = tmp_path_factory.mktemp("run")
    run(county_config(days=40, seed=2), out)
    return read_run(out)


def test_tree_layout_puts_parents_over_their_children():
    # 2 banners; townships 0,1 in banner 0 and 2 in banner 1; villages 0-4
    layout = tree_layout(grid_village=[0, 0, 1, 2, 3, 4], village_township=[0, 0, 1, 2, 2],
                         township_banner=[0, 0, 1])
    assert list(layout.village_x) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert list(layout.township_x) == [0.5, 2.0, 3.5]
    assert list(layout.banner_x) == [1.25, 3.5]
    assert layout.city_x == pytest.approx(2.375)
    assert layout.grid_x[0] < layout.village_x[0] < layout.grid_x[1]  # two grids fan out under village 0
    assert len(layout.edges()) == 5 + 3 + 2


def test_smoothed_satisfaction_is_the_mean_over_the_last_week():
    closed = np.array([0.2, 0.9, 3.5, 9.0, np.nan])
    sat = np.array([1.0, 0.5, 0.0, 0.4, 0.9])
    s = smoothed_satisfaction(closed, sat, days=12, window=7)
    assert s[0] == pytest.approx(0.75)  # days 0: two closed
    assert s[3] == pytest.approx(0.5)  # days 0-3: three closed
    assert s[7] == pytest.approx(0.0)  # days 1-7: only the one closed on day 3
    assert s[9] == pytest.approx(0.2)  # days 3-9
    assert np.isnan(smoothed_satisfaction(closed[:0], sat[:0], days=3)).all()


def test_series_read_the_daily_table(tiny_run):
    s = daily_series(tiny_run.daily, tiny_run.disputes["closed_day"], tiny_run.disputes["satisfaction"])
    d = tiny_run.daily
    assert s.days == 40
    village = d[d["tier"] == "village"].set_index("day")
    assert np.array_equal(s.queue["village"], village["queue_length"].to_numpy())
    centres = d[d["tier"].isin(["village", "township", "banner", "city"])]
    assert s.escalations.sum() == centres["escalated"].sum()
    assert s.police.sum() == d.loc[d["tier"] == "police", "arrivals"].sum()
    assert np.array_equal(s.live["grid"], d[d["tier"] == "system"].set_index("day")["queue_length"].to_numpy())


def test_replay_shows_every_open_dispute_once(tiny_run):
    rep = replay(tiny_run)
    d = tiny_run.disputes
    for day in (0, 9, 25, 39):
        dots = rep.dots(day)
        t = day + 1
        open_now = ((d["created_day"] < t) & ~(d["closed_day"] < t)).sum()
        assert (~dots.settled).sum() == open_now, day
        just_settled = ((d["outcome"] == "resolved") & (d["closed_day"] < t) & (d["closed_day"] >= t - 3)).sum()
        assert dots.settled.sum() == just_settled
    # a dispute settled at a village centre passes through the village row
    village = d.index[(d["resolved_tier"] == "village") & (d["path"] == "grid>village")][0]
    stays = rep.stays[rep.stays["id"] == d.at[village, "dispute_id"]]
    assert list(stays["row"]) == ["grid", "village", "village"]
    assert stays["settled"].tolist() == [False, False, True]
    now, settled = rep.ladder(39)
    assert sum(settled.values()) == (d["outcome"] == "resolved").sum()
    assert now["grid"] == rep.series.live["grid"][39]


def test_animate_command_writes_a_gif_with_a_frame_per_day(tiny_run, tmp_path):
    from experiments.animate import main

    out = main([str(tiny_run.run_dir), "--out", str(tmp_path / "clip.gif"), "--every", "4", "--dpi", "30"])
    assert out == tmp_path / "clip.gif"
    with Image.open(out) as gif:
        assert gif.n_frames == 11  # days 0, 4, .., 36 and the last day, 39
        assert gif.size == (400, 225)  # 13.33 x 7.5 in at 30 dpi
        first = np.asarray(gif.convert("RGB"))
        gif.seek(gif.n_frames - 1)
        last = np.asarray(gif.convert("RGB"))
    assert (first != last).any()
    assert out.stat().st_size < 5e6


def test_animate_refuses_an_incomplete_run(tmp_path):
    from experiments.animate import main
    from experiments.cli import BadInput

    with pytest.raises(BadInput, match="no summary.json"):
        main([str(tmp_path)])
    with pytest.raises(BadInput, match="--fps: must be >= 1, got 0"):
        main([str(tmp_path), "--fps", "0"])


def test_live_county_steps_and_reports_what_it_shows():
    county = LiveCounty(Controls(seed=1, dispute_rate=900.0))
    county.step(25)
    m = county.model
    assert county.day == 25 and county.series().days == 25
    now, settled = county.ladder()
    assert now["grid"] == len(m.latent)
    # settled on a rung: all resolved disputes but those the parties settled before anyone found them
    assert sum(settled.values()) == sum(d.outcome == "resolved" and d.resolved_tier != "self"
                                        for d in m.ledger.disputes)
    assert any(d.resolved_tier == "self" for d in m.ledger.disputes)  # the calibrated county has them
    dots = county.dots()
    assert (~dots.settled).sum() == len(m.latent) + len(m.handling.live)
    on_police_row = dots.y[~dots.settled].round() == ROW_Y["police"]
    assert on_police_row.sum() == sum(d.tier == "police" for d in m.handling.live)
    assert max(county.step_seconds) < 0.3  # a demo day is quick enough to play live


def test_live_controls_act_next_day_and_structural_ones_wait_for_reset():
    county = LiveCounty()
    controls = Controls(epidemic=True, duty_load=0.5, dispute_rate=500.0, mediators_village=2)
    county.step()
    season = county.model.cfg.shocks.wage_arrears.factor  # the training season's surge of labour disputes
    assert county.model.shocks.diverted(0) == 0 and county.model.shocks.rate_factor(0).max() == season
    county.apply_live(controls)
    county.step()
    preset = epidemic_preset()
    assert preset.diverted > 0 and county.model.shocks.diverted(1) == preset.diverted
    assert county.model.shocks.rate_factor(1).max() == pytest.approx(preset.dispute_rate * season)
    county.apply_live(Controls(epidemic=False, duty_load=0.5, dispute_rate=500.0))
    county.step()
    assert county.model.shocks.diverted(2) == 0
    assert county.model.cfg.staffing.duty_load == 0.5 and county.model.cfg.disputes.rate_per_10k == 500.0
    assert county.pending(controls) == ["mediators_village"]
    centres = county.model.staff.centre_counts()["village"]
    assert county.model.mediators["village"] == Controls().mediators_village * centres  # unchanged until Reset
    fresh = LiveCounty(controls)
    assert fresh.model.mediators["village"] == 2 * centres and fresh.pending(controls) == []
    with pytest.raises(ShouwangError, match="staffing.duty_load"):
        county.apply_live(Controls(duty_load=1.5))
    assert county.model.cfg.staffing.duty_load == 0.5  # a refused value changes nothing


def test_dashboard_county_is_the_demo_scenario():
    cfg = demo_config(Controls(governance="pastoral", seed=7))
    assert cfg.city.name == "demo_county" and cfg.city.population == 30000 and cfg.scale == 1.0
    assert cfg.governance.apply == "pastoral" and cfg.seed == 7
    assert cfg.governance.models["pastoral"].neighbour_detection > 0  # the scenario's model parameters
    with pytest.raises(ShouwangError, match="governance.apply"):
        demo_config(Controls(governance="martian"))
    assert isinstance(pd.DataFrame(LiveCounty().model.daily), pd.DataFrame)


def test_live_series_match_the_daily_table():
    county = LiveCounty(Controls(seed=3))
    county.step(35)
    live = county.series()
    table = daily_series(pd.DataFrame(county.model.daily), np.array(county._closed_day),
                         np.array(county._satisfaction))
    assert live.days == table.days == 35
    for name in ("day", "escalations", "police", "satisfaction"):
        np.testing.assert_array_equal(getattr(live, name), getattr(table, name), err_msg=name)
    for name in ("queue", "in_service", "live"):
        a, b = getattr(live, name), getattr(table, name)
        assert a.keys() == b.keys()
        for k in a:
            np.testing.assert_array_equal(a[k], b[k], err_msg=f"{name}[{k}]")


def test_training_default_is_calibrated():
    from sim.api import compose_config
    from sim.hydra_conf import to_config
    from sim.viz.live import TRAINING, controls_of

    training = to_config(compose_config([TRAINING]))
    calibrated = to_config(compose_config(["city=demo_county"]))
    assert Controls() == controls_of(training)  # the page's defaults are the documented preset
    # the calibrated county (no calibration=none): only the season and the staff are what-ifs
    assert training.mediation == calibrated.mediation and training.police == calibrated.police
    assert training.disputes.rate_per_10k == calibrated.disputes.rate_per_10k
    assert training.shocks.wage_arrears.factor > 1 and training.staffing.grid_workers_per_grid < 3.4


@pytest.mark.slow
def test_training_default_shows_dynamics_and_staffing_or_detection_reduces_them():
    # page(): police call-outs, arrivals at the township centre and above, queues, on the live county
    from experiments.training_dynamics import page, settings

    seeds = (0, 1, 2)
    for seed in seeds:  # within the first month of the hard season, on every seed a trainer opens
        month = page(Controls(seed=seed), 30)
        assert month["police"] > 0 and month["up"] > 0, (seed, month)
    make = settings()
    two_months = {name: [page(make[name](seed), 60) for seed in seeds]
                  for name in ("training", "2022 staffing", "urban")}  # urban: police grid, tech platforms
    police = {name: sum(p["police"] for p in pages) for name, pages in two_months.items()}
    assert police["2022 staffing"] < police["training"]  # grid workers find quarrels before they boil over
    assert police["urban"] <= 0.75 * police["training"]  # early detection cuts call-outs by a quarter or more
    # calibrated mediators carry several cases at once, so queues need more disputes than the season
    # brings: the page's dispute-rate slider makes them
    assert page(Controls(seed=0, dispute_rate=1500.0), 60)["queue"] >= 5


def test_nice_ceiling_and_pages():
    from sim.viz.board import nice_ceiling, page_days

    assert [nice_ceiling(v) for v in (0.3, 1, 1.2, 2, 3.9, 7, 10, 11, 21, 460)] == pytest.approx(
        [0.3, 1, 1.5, 2, 4, 8, 10, 15, 30, 500])
    assert nice_ceiling(0) == 1.0
    assert [page_days(d) for d in (0, 1, 30, 31, 61)] == [30, 30, 30, 60, 90]


def test_board_pictures_match_a_full_render_and_rarely_rerender():
    import io

    from PIL import Image

    from sim.viz.board import Board, county_pictures

    county = LiveCounty(Controls(seed=1))
    board = Board.of(county)
    day0 = county_pictures(board, county)
    county.step(40)
    for _ in range(5):  # a few more days, redrawn one by one as on the page
        county.step()
        pictures = county_pictures(board, county)
    for png, picture in zip(pictures, (board.tree, board.plots, board.ladder)):
        blitted = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
        for a in picture.blit.moving:
            a.set_animated(False)
        picture.blit.canvas.draw()
        full = np.asarray(picture.blit.canvas.buffer_rgba())[..., :3].astype(int)
        assert blitted.shape == full.shape
        # the same picture; only where a moving artist crosses a static one drawn above it
        # (a legend, a colour bar) may the order differ
        differ = (np.abs(blitted - full).max(axis=2) > 8).mean()
        assert differ < 0.01, (type(picture).__name__, differ)
    assert all(a != b for a, b in zip(day0, pictures))
    assert board.tree.blit.static_renders == 1  # the tree's units and links are drawn once
    assert board.plots.blit.static_renders <= 10  # day-axis pages and round steps, not every day
    assert Image.open(io.BytesIO(pictures[1])).size == (1160, 448)
