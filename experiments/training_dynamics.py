"""What the trainers' page shows in its first days: the numbers in ``scenarios/experiment/training.yaml``.

``python -m experiments.training_dynamics [--seeds 0 1 2]`` steps the page's live county
(:class:`sim.viz.live.LiveCounty`, the dashboard's model) for the training default, 2022 staffing,
two early-detection governance models and a raised dispute rate, and prints per seed the police
call-outs, the arrivals at the township centre and above, the longest queue, the most cases in
mediators' hands and the failed mediations that climbed, after 30 and 60 days. Re-run it after a
calibration changes and copy the figures into the preset's comment.
"""

from __future__ import annotations

from dataclasses import replace

from experiments.cli import Parser, run_main

RAISED_RATE = 1500.0  # the dispute-rate slider moved up to show queues (per 10,000 a year)


def page(controls, days: int) -> dict:
    """The page's figures after ``days`` days of a live county with ``controls``."""
    import pandas as pd

    from sim.viz.live import LiveCounty

    county = LiveCounty(controls)
    county.step(days)
    s = county.series()
    daily = pd.DataFrame(county.model.daily)
    up = daily[daily["tier"].isin(["township", "banner", "city"])]
    return {"police": int(s.police.sum()), "up": int(up["arrivals"].sum()),
            "queue": max(float(s.queue[t].max()) for t in s.queue),
            "in_hand": max(float(s.in_service[t].max()) for t in s.in_service),
            "climbs": int(s.escalations.sum()),
            "first_police_day": int((s.police > 0).argmax()) if s.police.sum() else -1}


def settings() -> dict:
    """The page settings compared, each a function of the seed giving the page's controls."""
    from sim.viz.live import Controls, staffing_2022

    return {"training": lambda seed: Controls(seed=seed),
            "2022 staffing": lambda seed: replace(staffing_2022(), seed=seed),
            "urban": lambda seed: Controls(seed=seed, governance="urban"),
            "border": lambda seed: Controls(seed=seed, governance="border"),
            f"rate {RAISED_RATE:g}": lambda seed: Controls(seed=seed, dispute_rate=RAISED_RATE)}


def main(argv: list[str]):
    import pandas as pd

    parser = Parser(prog="python -m experiments.training_dynamics", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args(argv)
    rows = []
    for name, make in settings().items():
        for days in (30, 60):
            if days == 30 and name != "training":
                continue
            for seed in args.seeds:
                rows.append({"setting": name, "days": days, "seed": seed, **page(make(seed), days)})
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 160):
        print(table.to_string(index=False))
    return table


if __name__ == "__main__":
    run_main(main)
