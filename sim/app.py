"""``python -m sim.app [--host 127.0.0.1] [--port 8765]``: serve the trainers' dashboard.

Works with no internet: Solara's front-end assets come from the ``solara-assets`` package through
this server (``/_solara/cdn``), a cache miss goes to a dead local port instead of a CDN, and
telemetry is off. The settings must be in the environment before Solara is imported.

Solara's app is served behind :class:`SessionGuard`: a websocket (and any request that carries
an ``Origin``) must come from a page of this server (same host and port), so another site open
in the trainer's browser cannot drive a session; at most ``--max-sessions`` pages are open at
once (the next visitor gets a page saying so, a websocket beyond the cap is closed with the
reason); a closed page's county is dropped when Solara culls its session
(``SOLARA_KERNEL_CULL_TIMEOUT``, 2 minutes) and collected at once.
``/shouwang/sessions`` reports open sessions and counties still in memory (JSON).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import threading
import warnings
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

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


MAX_SESSIONS = 8
"""Pages open at once (assumption: a training room shares one screen or a few; each session
holds a ~30,000-resident county, ~40 MB, and Steps share two cores)."""
KERNEL_SOCKET = "/jupyter/api/kernels/"
"""Path prefix of the websocket each Solara page opens to its session."""

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Scope]], Callable[[Scope], Awaitable[None]]], Awaitable[None]]


def same_origin(scope: Scope) -> bool:
    """A request without ``Origin`` (not from a page), or one whose ``Origin`` is this server."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    origin = headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == headers.get("host", "").lower()


class SessionGuard:
    """ASGI middleware before Solara: same-origin only, a cap on open pages, a session report."""

    def __init__(self, app: ASGIApp, max_sessions: int = MAX_SESSIONS) -> None:
        self.app = app
        self.max_sessions = max_sessions
        self.open = 0
        self.lock = threading.Lock()

    async def __call__(self, scope: Scope, receive, send) -> None:
        kind, path = scope["type"], scope.get("path", "")
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if not same_origin(scope):
            if kind == "websocket":  # closed before accept: the browser sees HTTP 403
                await send({"type": "websocket.close", "code": 1008, "reason": "origin not allowed"})
            else:
                await _respond(send, 403, "text/plain", "origin not allowed\n")
            return
        if kind == "http" and path == "/shouwang/sessions":
            gc.collect()  # count what is really still held, not what awaits the cycle collector
            from sim.viz.live import live_counties

            body = json.dumps({"open": self.open, "max": self.max_sessions, "counties": live_counties()})
            await _respond(send, 200, "application/json", body)
            return
        if kind == "http" and path in ("", "/") and self.open >= self.max_sessions:
            await _respond(send, 503, "text/html; charset=utf-8", _FULL.format(n=self.max_sessions))
            return
        if kind == "websocket" and path.startswith(KERNEL_SOCKET):
            with self.lock:
                full = self.open >= self.max_sessions
                if not full:
                    self.open += 1
            if full:
                await receive()  # websocket.connect
                await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": 1013,
                            "reason": f"the dashboard is full ({self.max_sessions} sessions open)"})
                return
            try:
                await self.app(scope, receive, send)
            finally:
                with self.lock:
                    self.open -= 1
            return
        await self.app(scope, receive, send)


_FULL = """<!doctype html><title>Shouwang dashboard: full</title>
<h2>The dashboard is full</h2>
<p>{n} sessions are open, the most this server allows (python -m sim.app --max-sessions).
Close a tab that shows the dashboard, or try again in a few minutes: a closed tab's session
ends two minutes after it closes.</p>
"""


async def _respond(send, status: int, kind: str, body: str) -> None:
    data = body.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind.encode()), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The server's command line; a session cap below 1 is refused in argparse's one line."""
    p = argparse.ArgumentParser(prog="python -m sim.app", description="Serve the Shouwang trainers' dashboard.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--max-sessions", type=int, default=MAX_SESSIONS,
                   help=f"pages open at once (default {MAX_SESSIONS})")
    args = p.parse_args(argv)
    if args.max_sessions < 1:
        p.error(f"--max-sessions: must be >= 1, got {args.max_sessions}")
    return args


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
    from solara.server.starlette import app

    print(f"Shouwang dashboard on http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    uvicorn.run(SessionGuard(app, args.max_sessions), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
