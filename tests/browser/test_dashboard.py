"""The trainers' dashboard in Debian's headless Chromium, offline (never `playwright install`)."""

from __future__ import annotations

import os
import re
import shutil
import time
import urllib.error
import urllib.request

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, offline_page, require_chromium, serve

pytestmark = pytest.mark.browser

require_chromium()
from playwright.sync_api import expect, sync_playwright  # noqa: E402 (only once Chromium is there)


def image_sources(page) -> list[str]:
    imgs = page.locator("img")
    expect(imgs).to_have_count(3)
    return [imgs.nth(i).get_attribute("src") or "" for i in range(3)]


def test_step_play_reset_offline(server, tmp_path):
    url, server_log = server
    with sync_playwright() as pw, offline_page(pw, {"width": 1600, "height": 1000}) as (page, seen):
        t0 = time.monotonic()
        page.goto(url, wait_until="load")
        step = page.get_by_role("button", name="Step")
        expect(step).to_be_visible(timeout=30_000)
        day = page.locator(".day-counter")
        expect(day).to_have_text("Day 0")
        tree0, _, plots0 = image_sources(page)
        print(f"page load to Day 0 with figures: {time.monotonic() - t0:.2f} s")
        # the controls are there
        for label in ("Grid workers per grid", "Mediators per village centre", "Grid workers' duty load",
                      "Disputes per 10,000 a year", "Epidemic: 60% of grid visits diverted"):
            expect(page.get_by_text(label)).to_be_visible()
        expect(page.get_by_role("button", name="Reset")).to_be_visible()
        # the training default; one click sets 2022 staffing (applied on Reset) and one undoes it
        expect(page.get_by_text("Grid workers per grid: 1.00")).to_be_visible()
        page.get_by_role("button", name="2022 staffing").click()
        expect(page.get_by_text("Grid workers per grid: 3.42")).to_be_visible()
        expect(page.get_by_text("Press Reset to apply")).to_be_visible()
        page.get_by_role("button", name="Training staffing").click()
        expect(page.get_by_text("Press Reset to apply")).to_have_count(0)

        trips = []
        for i in range(1, 4):
            t = time.monotonic()
            step.click()
            expect(day).to_have_text(f"Day {i}")
            trips.append(round(time.monotonic() - t, 2))
        print(f"Step round trips: {trips} s")
        tree3, _, plots3 = image_sources(page)
        assert tree3 != tree0, "the hierarchy did not redraw after three steps"
        assert plots3 != plots0, "the plots did not redraw after three steps"

        page.get_by_role("button", name="Play").click()
        pause = page.get_by_role("button", name="Pause")
        expect(pause).to_be_visible()
        # Play keeps stepping on its own: two days past the last Step (no fixed window, which a
        # loaded machine, the suite's other test process included, could miss)
        t = time.monotonic()
        expect(day).not_to_have_text(re.compile(r"^Day [0-4]$"), timeout=30_000)
        pause.click()
        playing = time.monotonic() - t
        expect(page.get_by_role("button", name="Play")).to_be_visible()
        page.wait_for_timeout(500)  # a step under way when Pause was pressed finishes
        played = int(day.inner_text().split()[1])
        assert played > 4, played
        tree_p, _, plots_p = image_sources(page)
        assert plots_p != plots3 and tree_p != tree3, "figures did not change while playing"
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        if os.environ.get("SHOUWANG_SCREENSHOT"):
            shutil.copy(tmp_path / "dashboard.png", os.environ["SHOUWANG_SCREENSHOT"])

        page.get_by_role("button", name="Reset").click()
        expect(day).to_have_text("Day 0")
        print(f"days after {playing:.1f} s of Play: {played}")
    log = server_log.read_text()
    assert "Could not load URL" not in log, log[-2000:]  # an asset missing from solara-assets
    assert "Traceback" not in log, log[-3000:]
    assert not seen.foreign, f"requests left 127.0.0.1: {seen.foreign}"
    assert not seen.errors, seen.errors
    assert not [m for m in seen.console if m.startswith("error")], seen.console


# --- security and sessions: same-origin websockets, a cap on sessions, memory released ----------

MAX_SESSIONS = 2


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """A second server with a cap of two sessions and a short cull (a vanished tab ends in 5 s)."""
    log = tmp_path_factory.mktemp("guarded") / "server.log"
    with serve(log, "--max-sessions", str(MAX_SESSIONS), env={"SOLARA_KERNEL_CULL_TIMEOUT": "5s"}) as (port, _):
        yield port


def sessions(port: int) -> dict:
    import json

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/shouwang/sessions", timeout=10) as r:
        return json.loads(r.read())


def kernel_socket(port: int, n: int) -> str:
    return f"ws://127.0.0.1:{port}/jupyter/api/kernels/k{n}/channels?session_id=s{n}"


def test_a_page_of_another_origin_cannot_open_a_session(guarded):
    """What a malicious site open in the trainer's browser would try: a websocket to the dashboard."""
    import http.server
    import threading

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = (f"<script>const ws = new WebSocket('{kernel_socket(guarded, 99)}');"
                    "ws.onopen = () => document.title = 'opened';"
                    "ws.onclose = () => document.title = document.title || 'refused';</script>").encode()
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    evil = http.server.HTTPServer(("127.0.0.1", 0), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(f"http://localhost:{evil.server_port}/")  # another origin (host and port)
                expect(page).to_have_title("refused", timeout=15_000)
            finally:
                browser.close()
    finally:
        evil.shutdown()
    assert sessions(guarded)["open"] == 0
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    with pytest.raises(InvalidStatus) as refused:  # the same from a script claiming a foreign Origin
        connect(kernel_socket(guarded, 98), origin="http://evil.example")
    assert refused.value.response.status_code == 403
    close = urllib.request.Request(f"http://127.0.0.1:{guarded}/_solara/api/close/k1?session_id=s1",
                                   method="POST", headers={"Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as forbidden:  # nor close someone's session
        urllib.request.urlopen(close, timeout=10)
    assert forbidden.value.code == 403


def test_sessions_are_capped_and_closed_ones_release_their_county(guarded):
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    url = f"http://127.0.0.1:{guarded}/"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            pages = []
            for _ in range(MAX_SESSIONS):
                page = browser.new_page()
                page.goto(url)
                expect(page.get_by_role("button", name="Step")).to_be_visible(timeout=60_000)
                pages.append(page)
            assert sessions(guarded) == {"open": MAX_SESSIONS, "max": MAX_SESSIONS, "counties": MAX_SESSIONS}
            third = browser.new_page()
            response = third.goto(url)
            assert response is not None and response.status == 503
            expect(third.get_by_text("The dashboard is full")).to_be_visible()
            with connect(kernel_socket(guarded, 7), origin=f"http://127.0.0.1:{guarded}") as ws:
                with pytest.raises(ConnectionClosed) as closed:
                    ws.recv(timeout=10)
            assert closed.value.rcvd.code == 1013
            assert closed.value.rcvd.reason == f"the dashboard is full ({MAX_SESSIONS} sessions open)"
            for page in pages:
                page.close()
            end = time.monotonic() + 30
            while sessions(guarded) != {"open": 0, "max": MAX_SESSIONS, "counties": 0}:
                assert time.monotonic() < end, sessions(guarded)
                time.sleep(0.5)
            again = browser.new_page()  # room again
            again.goto(url)
            expect(again.get_by_role("button", name="Step")).to_be_visible(timeout=60_000)
        finally:
            browser.close()
