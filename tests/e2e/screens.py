"""Screenshots for people to look at (`make e2e`): test-results/screenshots/, ignored by git."""

from __future__ import annotations

from pathlib import Path

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


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: nothing to scroll sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


# A 256 × 256 tile from Leaflet's own package: the browser tests never reach a real tile server.
TILE = Path(__file__).resolve().parents[2] / "node_modules" / "leaflet" / "dist" / "images" / "layers-2x.png"


def serve_tiles_locally(page, url_template: str) -> None:
    """Answer every request for the configured tile server with the local tile image."""
    prefix = url_template.split("{", 1)[0]
    page.route(f"{prefix}**", lambda route: route.fulfill(status=200, content_type="image/png", body=TILE.read_bytes()))
