"""Screenshots for people to look at (`make e2e`): test-results/screenshots/, ignored by git."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """The page as a person would look at it. A full-page shot makes Chromium resize the window for a
    moment (a `resize` event reaches the page); take an open drawer or dialog, which is fixed to the
    window anyway, with full_page=False, since the design system's menu closes itself on a resize
    that hides its close button."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


_OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def horizontal_overflow(page, *, settle_ms: int = 3000) -> int:
    """How many CSS pixels the page is wider than the window (0: nothing to scroll sideways), once the
    page has settled: loaded (its style sheets applied), and the design system's scripts done with the
    last resize. The main menu puts the items that do not fit under "Mere" only when its resize handler
    runs: without scripts an administrator's menu stands in one row, 1,358 px wider than a 1,280 px
    window, and a CI run of the journeys test, on a busy machine, measured 1,460 px right after
    `set_viewport_size`. A page that really is too wide still is after `settle_ms`, and that is what is
    returned."""
    page.wait_for_load_state("load")
    try:
        page.wait_for_function(f"() => {_OVERFLOW} <= 0", timeout=settle_ms)
    except PlaywrightTimeoutError:
        pass  # it does not fit: the figure below says by how much
    return page.evaluate(f"() => {_OVERFLOW}")


# A 256 × 256 tile from Leaflet's own package: the browser tests never reach a real tile server.
TILE = Path(__file__).resolve().parents[2] / "node_modules" / "leaflet" / "dist" / "images" / "layers-2x.png"


def serve_tiles_locally(page, url_template: str) -> None:
    """Answer every request for the configured tile server with the local tile image."""
    prefix = url_template.split("{", 1)[0]
    page.route(f"{prefix}**", lambda route: route.fulfill(status=200, content_type="image/png", body=TILE.read_bytes()))
