"""Pictures of a run for people in a room: the live dashboard and the slide animations.

``hierarchy`` lays the governance tree out and places disputes on it, ``series`` turns daily
rows into the plotted series, ``figures`` draws them with matplotlib, ``live`` drives a model for
the dashboard, ``dashboard`` is the Solara page (``python -m sim.app``) and ``replay`` rebuilds
where each dispute sat from a saved run folder (``python -m experiments.animate``).
"""
