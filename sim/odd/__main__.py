"""``python -m sim.odd [overrides...] [--out FILE]``: the model description (ODD) of a scenario."""

from sim.odd import main

main()
