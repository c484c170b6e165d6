"""The dashboard's Hulunbuir view (Solara, at ``/city``): the whole city live on its real map.

One :class:`~sim.viz.city_live.LiveCity` per browser session; Play steps it from a worker
thread, as the county page does. The map colours the 14 banners by the figure chosen (disputes
with a centre now, police call-outs so far or undetected disputes, per 10,000 residents);
staffing sliders rebuild the city on Reset, the dispute rate and duty load act from the next day.
"""

from __future__ import annotations

import solara

from sim.viz.city_live import (
    VIEWS,
    CityControls,
    CityMapPicture,
    LiveCity,
    calibrated_rate,
    city_picture,
)
from sim.viz.play import use_live_session

PLAY_PAUSE_S = 0.2
"""Pause between days while playing (a full-scale city day takes longer than that itself)."""


@solara.component
def CityPage():
    """The city dashboard (a Solara component): staffing controls, then the live map and figures."""
    c0 = CityControls()
    scale = solara.use_reactive(c0.scale)
    workers = solara.use_reactive(c0.grid_workers_per_grid)
    med_v = solara.use_reactive(c0.mediators_village)
    med_t = solara.use_reactive(c0.mediators_township)
    police = solara.use_reactive(c0.police_officers_per_post)
    duty = solara.use_reactive(c0.duty_load)
    rate = solara.use_reactive(round(calibrated_rate()))
    seed = solara.use_reactive(c0.seed)
    view = solara.use_reactive("queues")

    def controls() -> CityControls:
        return CityControls(scale=scale.value, grid_workers_per_grid=workers.value, mediators_village=med_v.value,
                            mediators_township=med_t.value, police_officers_per_post=police.value,
                            duty_load=duty.value, dispute_rate=float(rate.value), seed=seed.value)

    session = use_live_session(LiveCity, c0, controls, [duty.value, rate.value], PLAY_PAUSE_S)
    step, reset, playing, error = session.step, session.reset, session.playing, session.error
    city: LiveCity = session.live
    picture = solara.use_memo(lambda: CityMapPicture(city.codes), [id(city)])
    png = solara.use_memo(lambda: city_picture(picture, city, view.value), [session.version, id(city), view.value])
    step_ms = 1000 * sum(city.step_seconds[-10:]) / max(1, len(city.step_seconds[-10:]))

    solara.Title("Shouwang: Hulunbuir live")
    with solara.Column(style={"padding": "8px 16px"}):
        with solara.Row(style={"align-items": "baseline"}):
            solara.HTML(tag="h2", unsafe_innerHTML="Hulunbuir &mdash; 14 banners, day by day", style={"margin": "0"})
            solara.Text(f"Day {city.day}", classes=["city-day"],
                        style={"font-size": "26px", "font-weight": "bold", "margin-left": "24px"})
            solara.Text(f"{city.population.sum():,.0f} residents simulated (scale {city.controls.scale:g})"
                        + (f" · {step_ms:.0f} ms a day" if city.step_seconds else ""),
                        style={"font-size": "15px", "margin-left": "24px", "color": "#555"})
        with solara.Columns([1, 3]):
            with solara.Column():
                with solara.Row():
                    solara.Button("Step", on_click=lambda: step(1), disabled=playing.value, color="primary",
                                  outlined=True)
                    solara.Button("Pause" if playing.value else "Play", on_click=lambda: playing.set(not playing.value),
                                  color="primary")
                    solara.Button("Reset", on_click=reset)
                solara.ToggleButtonsSingle(value=view, values=list(VIEWS))
                if error.value:
                    solara.Error(error.value)
                solara.HTML(tag="b", unsafe_innerHTML="Acts from the next day")
                solara.SliderInt(f"Disputes per 10,000 a year: {rate.value}", value=rate, min=50, max=3000, step=10)
                solara.SliderFloat(f"Grid workers' duty load: {duty.value:.0%}", value=duty, min=0.0, max=0.9, step=0.05)
                solara.HTML(tag="b", unsafe_innerHTML="Acts on Reset")
                solara.SliderFloat(f"Scale (share of residents): {scale.value:.2f}", value=scale, min=0.05, max=1.0,
                                   step=0.05)
                solara.SliderFloat(f"Grid workers per grid: {workers.value:.2f}", value=workers, min=0.5, max=8.0,
                                   step=0.01)
                solara.SliderInt(f"Mediators per village centre: {med_v.value}", value=med_v, min=1, max=10)
                solara.SliderInt(f"Mediators per township centre: {med_t.value}", value=med_t, min=1, max=15)
                solara.SliderInt(f"Police officers per post: {police.value}", value=police, min=1, max=20)
                solara.InputInt("Seed", value=seed)
            with solara.Column():
                solara.Image(png, format="png")


@solara.component
def Layout(children=()):
    """The pages' frame: a thin row of links between the county tree (/) and the city map (/city)."""
    current, routes = solara.use_route()
    with solara.Column(style={"padding": "0", "gap": "0"}) as main:
        with solara.Row(style={"padding": "4px 16px 0 16px", "gap": "16px", "font-size": "14px"}):
            for route in routes:
                here = route is current
                solara.Link(solara.resolve_path(route), children=[
                    solara.Text(route.label or route.path,
                                style={"font-weight": "bold" if here else "normal",
                                       "text-decoration": "none" if here else "underline"})])
        solara.Column(children=list(children), style={"padding": "0"})
    return main
