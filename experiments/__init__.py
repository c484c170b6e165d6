"""Experiments: sweeps' aggregation and reports, calibration, sensitivity, benchmarks.

Started as ``python -m experiments.<tool>``, a Ctrl-C while the tool is still importing its
libraries (seconds, for scipy and SALib) ends it with one line and status 130, like a Ctrl-C
later on (:func:`experiments.cli.run_main` takes over from there); imported as a library,
nothing is changed.
"""

import sys

if sys.argv[:1] == ["-m"]:  # runpy imports the package before the module it runs
    import os
    import signal

    def _starting(signum, frame):  # noqa: ANN001 - a signal handler's fixed signature
        sys.stdout.flush()
        print("interrupted: stopped while starting; nothing was written", file=sys.stderr, flush=True)
        os._exit(130)

    signal.signal(signal.SIGINT, _starting)
