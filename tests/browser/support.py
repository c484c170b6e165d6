"""What the browser tests share: Debian's Chromium (never `playwright install`), a dashboard server
in a subprocess, and a page that may not leave the machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def require_chromium() -> None:
    """Skip the calling test module without Chromium; in CI a missing browser is a failure, never a quiet skip."""
    if os.path.exists(CHROMIUM):
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium chromium-driver); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float) -> float:
    """Seconds until ``url`` answers 200; fails if the server exits or is not ready in ``timeout``."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - t0
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout} s")


@contextmanager
def serve(log: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[tuple[int, subprocess.Popen]]:
    """``python -m sim.app`` on a free port (its output in ``log``); stopped, and its log's tail
    printed, on the way out."""
    port = free_port()
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "sim.app", "--port", str(port), *args], cwd=ROOT,
                                env=dict(os.environ, PYTHONUNBUFFERED="1", **(env or {})), stdout=fh,
                                stderr=subprocess.STDOUT)
    try:
        print(f"server ready in {wait_ready(f'http://127.0.0.1:{port}/readyz', proc, 60):.2f} s")
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        print(f"---- server log {log.name} (tail) ----\n" + log.read_text()[-3000:])


@dataclass
class Watched:
    """What a page did that a test refuses: requests that left the machine, errors, console lines."""

    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


@contextmanager
def offline_page(pw, viewport: dict[str, int]) -> Iterator[tuple[object, Watched]]:
    """A page in a fresh Chromium whose requests may only reach this machine (others are aborted
    and recorded), with its errors and console recorded."""
    seen = Watched()
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        ctx = browser.new_context(viewport=viewport)

        def guard(route) -> None:
            target = route.request.url
            if target.startswith(("data:", "blob:")) or (urlparse(target).hostname or "") in LOCAL_HOSTS:
                route.continue_()
            else:
                seen.foreign.append(target)
                route.abort()

        ctx.route("**/*", guard)
        page = ctx.new_page()
        page.on("console", lambda m: seen.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: seen.errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: seen.errors.append(f"requestfailed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and seen.errors.append(f"HTTP {r.status}: {r.url}"))
        yield page, seen
    finally:
        browser.close()
