"""``python -m sim.app [--host 127.0.0.1] [--port 8765]``: serve the trainers' dashboard.

Works with no internet: Solara's front-end assets come from the ``solara-assets`` package through
this server (``/_solara/cdn``), a cache miss goes to a dead local port instead of a CDN, and
telemetry is off. The settings must be in the environment before Solara is imported.
"""

from __future__ import annotations

import argparse
import os
import warnings

OFFLINE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # no api.mixpanel.com / api.ipify.org
    "SOLARA_ASSETS_PROXY": "True",  # the page loads assets from this server
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",  # a cache miss fails fast, on this machine
    "SOLARA_CHECK_HOOKS": "off",
    # a closed browser's session (and a county left playing in it) ends 2 minutes later, not 24 h
    "SOLARA_KERNEL_CULL_TIMEOUT": "2m",
}
APP_MODULE = "sim.viz.dashboard"
"""The module Solara loads ``Page`` from (a module name: a file path would be exec'd as __main__)."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m sim.app", description="Serve the Shouwang trainers' dashboard.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Start the server and block until it is stopped (Ctrl-C)."""
    args = parse_args(argv)
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    os.environ["SOLARA_APP"] = APP_MODULE
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        import solara  # noqa: F401
        import uvicorn
    except ImportError as e:  # the app extra is optional
        raise SystemExit(f"the dashboard needs the app extra: pip install -e '.[app]' ({e})") from None
    # solara warns on every page load that samesite=none cookies need https (harmless on loopback)
    warnings.filterwarnings("ignore", message="Cookies with samesite=none")
    print(f"Shouwang dashboard on http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
