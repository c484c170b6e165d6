"""The dashboard's Hulunbuir view (/city) in Debian's headless Chromium, offline: the whole city
steps live on the 14-banner map, the map's figure can be switched, and the staffing sliders
rebuild the city on Reset."""

from __future__ import annotations

import time

import pytest

from tests.browser.support import offline_page, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

require_chromium()
from playwright.sync_api import expect, sync_playwright  # noqa: E402 (only once Chromium is there)


def map_source(page) -> str:
    img = page.locator("img")
    expect(img).to_have_count(1)
    return img.first.get_attribute("src") or ""


def test_city_steps_live_on_its_map_and_sliders_rebuild_it(server, tmp_path):
    url, _ = server
    with sync_playwright() as pw, offline_page(pw, {"width": 1500, "height": 950}) as (page, seen):
        # from the county page, the link leads to the city
        page.goto(url, wait_until="load")
        expect(page.get_by_role("button", name="Step")).to_be_visible(timeout=60_000)
        page.get_by_text("Hulunbuir map").click()
        day = page.locator(".city-day")
        t0 = time.monotonic()
        expect(day).to_have_text("Day 0", timeout=90_000)
        print(f"city built and drawn in {time.monotonic() - t0:.1f} s")
        expect(page.get_by_text("2,242,875 residents simulated (scale 1)")).to_be_visible()
        map0 = map_source(page)

        trips = []
        for i in (1, 2):
            t = time.monotonic()
            page.get_by_role("button", name="Step").click()
            expect(day).to_have_text(f"Day {i}", timeout=60_000)
            trips.append(round(time.monotonic() - t, 2))
        print(f"Step round trips, whole city: {trips} s")
        map2 = map_source(page)
        assert map2 != map0, "the map did not redraw after two days"

        page.get_by_role("button", name="callouts").click()
        expect(page.locator("img")).not_to_have_attribute("src", map2)

        page.get_by_role("button", name="Play").click()
        expect(day).not_to_have_text("Day 2", timeout=30_000)
        page.get_by_role("button", name="Pause").click()
        expect(page.get_by_role("button", name="Play")).to_be_visible()
        page.wait_for_timeout(500)  # a step under way when Pause was pressed finishes

        # the scale slider (acts on Reset): two steps left, then Reset rebuilds a smaller city
        scale = page.get_by_role("slider").nth(2)
        scale.focus()
        scale.press("ArrowLeft")
        scale.press("ArrowLeft")
        expect(page.get_by_text("Scale (share of residents): 0.90")).to_be_visible()
        page.get_by_role("button", name="Reset").click()
        expect(day).to_have_text("Day 0", timeout=90_000)
        expect(page.get_by_text("(scale 0.9)", exact=False)).to_be_visible()
        page.screenshot(path=str(tmp_path / "city.png"), full_page=True)
    assert not seen.errors, seen.errors
    assert not seen.foreign, f"requests left the machine: {seen.foreign}"
