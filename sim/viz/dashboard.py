"""The trainers' page (Solara): drive a demo county day by day and watch disputes climb.

Served by ``python -m sim.app`` (which sets the offline settings before Solara is imported).
One :class:`~sim.viz.live.LiveCounty` per browser session; Play steps it from a worker thread.
"""

from __future__ import annotations

import datetime as dt

import solara

from sim.viz.board import Board, county_pictures
from sim.viz.live import GOVERNANCE_CHOICES, Controls, LiveCounty, epidemic_preset, staffing_2022
from sim.viz.play import use_live_session

PLAY_PAUSE_S = 0.25
"""Pause between days while playing (so the room can follow; a day's redraw takes ~0.03 s)."""


def _date(day: int) -> str:
    return (dt.date(2022, 1, 1) + dt.timedelta(days=day)).strftime("%-d %b")


@solara.component
def Page():
    """The county dashboard (a Solara component): controls, then the live hierarchy, plots and ladder."""
    c0 = Controls()
    workers = solara.use_reactive(c0.grid_workers_per_grid)
    med_v = solara.use_reactive(c0.mediators_village)
    med_t = solara.use_reactive(c0.mediators_township)
    med_b = solara.use_reactive(c0.mediators_banner)
    med_c = solara.use_reactive(c0.mediators_city)
    duty = solara.use_reactive(c0.duty_load)
    rate = solara.use_reactive(c0.dispute_rate)
    governance = solara.use_reactive(c0.governance)
    epidemic = solara.use_reactive(c0.epidemic)
    seed = solara.use_reactive(c0.seed)
    speed = solara.use_reactive(1)  # days per redraw while playing

    def controls() -> Controls:
        return Controls(grid_workers_per_grid=workers.value, mediators_village=med_v.value,
                        mediators_township=med_t.value, mediators_banner=med_b.value,
                        mediators_city=med_c.value, duty_load=duty.value, dispute_rate=rate.value,
                        governance=governance.value, epidemic=epidemic.value, seed=seed.value)

    def set_staffing(c: Controls) -> None:
        workers.value, duty.value = c.grid_workers_per_grid, c.duty_load
        med_v.value, med_t.value, med_b.value, med_c.value = (c.mediators_village, c.mediators_township,
                                                              c.mediators_banner, c.mediators_city)

    session = use_live_session(LiveCounty, c0, controls, [duty.value, rate.value, epidemic.value], PLAY_PAUSE_S,
                               lambda: speed.value)
    step, reset, playing, error = session.step, session.reset, session.playing, session.error
    county: LiveCounty = session.live
    # the pictures are built once per county and redrawn in place each day (sim/viz/board.py)
    board = solara.use_memo(lambda: Board.of(county), [id(county)])
    tree, plots, ladder = solara.use_memo(lambda: county_pictures(board, county), [session.version, id(county)])
    totals = county.totals()
    pending = county.pending(controls())
    preset = epidemic_preset()

    solara.Title("Shouwang: disputes climbing the ladder")
    with solara.Column(style={"padding": "8px 16px"}):
        with solara.Row(style={"align-items": "baseline"}):
            solara.HTML(tag="h2", unsafe_innerHTML="Shouwang &mdash; a county's disputes, day by day",
                        style={"margin": "0"})
            solara.Text(f"Day {county.day}", classes=["day-counter"],
                        style={"font-size": "26px", "font-weight": "bold", "margin-left": "24px"})
            solara.Text(f"({_date(county.day)})", style={"font-size": "18px", "color": "#666"})
            solara.Text(
                f"disputes {totals['created']} · resolved {totals['resolved']} · police {totals['police']}"
                f" · to court {totals['litigated']} · criminal {totals['criminal']}",
                classes=["totals"], style={"font-size": "16px", "margin-left": "24px"},
            )
        with solara.Columns([1, 4]):
            with solara.Column():
                with solara.Row():
                    solara.Button("Step", on_click=lambda: step(1), disabled=playing.value, color="primary", outlined=True)
                    solara.Button("Pause" if playing.value else "Play",
                                  on_click=lambda: playing.set(not playing.value), color="primary")
                    solara.Button("Reset", on_click=reset)
                solara.SliderInt(f"Days per frame while playing: {speed.value}", value=speed, min=1, max=10)
                if error.value:
                    solara.Error(error.value)
                solara.HTML(
                    tag="div", unsafe_innerHTML="Default: the <b>training</b> setting (the calibrated county in a hard "
                    "season, thin staff), so quarrels climb within a month. Set 2022 staffing and Reset to show "
                    "fewer of them reach the police.", style={"font-size": "13px", "color": "#555"})
                with solara.Row():
                    solara.Button("2022 staffing", on_click=lambda: set_staffing(staffing_2022()), small=True,
                                  text=True, color="primary")
                    solara.Button("Training staffing", on_click=lambda: set_staffing(Controls()), small=True,
                                  text=True)
                solara.HTML(tag="b", unsafe_innerHTML="Acts from the next day")
                solara.SliderFloat(f"Disputes per 10,000 a year: {rate.value:.0f}", value=rate, min=50, max=3000, step=1)
                solara.SliderFloat(f"Grid workers' duty load: {duty.value:.0%}", value=duty, min=0.0, max=0.9, step=0.05)
                solara.Switch(label=f"Epidemic: {preset.diverted:.0%} of grid visits diverted, "
                                    f"disputes x{preset.dispute_rate:g}", value=epidemic)
                solara.HTML(tag="b", unsafe_innerHTML="Acts on Reset")
                solara.SliderFloat(f"Grid workers per grid: {workers.value:.2f}", value=workers, min=0.5, max=8.0, step=0.01)
                solara.SliderInt(f"Mediators per village centre: {med_v.value}", value=med_v, min=1, max=10)
                solara.SliderInt(f"Mediators per township centre: {med_t.value}", value=med_t, min=1, max=15)
                solara.SliderInt(f"Mediators at the banner centre: {med_b.value}", value=med_b, min=1, max=30)
                solara.SliderInt(f"Mediators at the city centre: {med_c.value}", value=med_c, min=1, max=60)
                solara.Select("Governance model", value=governance, values=list(GOVERNANCE_CHOICES))
                solara.InputInt("Seed", value=seed)
                if pending:
                    solara.Warning(f"Press Reset to apply: {', '.join(p.replace('_', ' ') for p in pending)}",
                                   dense=True)
            with solara.Column():
                with solara.Row():
                    solara.Image(tree, format="png")
                    solara.Image(ladder, format="png")
                solara.Image(plots, format="png")


# The Hulunbuir view (issue 13) on its own page, /city; the county page stays at /.
from sim.viz.city_view import CityPage, Layout  # noqa: E402

routes = [solara.Route(path="/", component=Page, label="County tree", layout=Layout),
          solara.Route(path="city", component=CityPage, label="Hulunbuir map")]
