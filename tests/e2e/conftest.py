"""Browser tests: Debian's Chromium driven by Playwright, axe-core on every page visited.

Run with `make e2e`. Use the `visit(page, url)` helper: it loads the page and
fails the test on any WCAG 2.1 A/AA violation that axe-core finds.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in
# fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def check_accessibility(page) -> None:
    page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert violations == [], f"axe-core violations on {page.url}:\n" + "\n".join(violations)


@pytest.fixture
def visit():
    """visit(page, path) -> response; runs axe-core on the loaded page."""

    def _visit(page, path: str, *, check: bool = True):
        response = page.goto(path)
        if check:
            check_accessibility(page)
        return response

    return _visit


@pytest.fixture
def axe():
    """axe(page): check the current state of the page (after clicks, HTMX swaps)."""
    return check_accessibility


@pytest.fixture
def sign_in_as():
    """sign_in_as(page, user, municipality=None): demo persona login through the real page (DEMO=1)."""

    def _sign_in(page, user, municipality=None):
        prefix = f"/{municipality.slug}" if municipality is not None else ""
        page.goto(f"{prefix}/demo/")
        page.locator(f"form:has(input[name='user_id'][value='{user.pk}']) button").click()
        page.wait_for_load_state("domcontentloaded")

    return _sign_in
