"""``sim.__main__`` as a module: importing it (experiments.launch does, in-process) leaves the
caller's Ctrl-C handling alone; only ``python -m sim`` takes SIGINT over while it loads."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import signal
def mine(signum, frame):
    pass
signal.signal(signal.SIGINT, mine)
import sim.__main__
assert signal.getsignal(signal.SIGINT) is mine, signal.getsignal(signal.SIGINT)
print("kept")
"""


def test_importing_the_command_module_keeps_the_callers_sigint_handler():
    # an experiment's handler says how to --resume its sweep; the command's own startup handler
    # (exit 130 at once) or Python's default must not replace it
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "kept", done.stderr[-1500:]
