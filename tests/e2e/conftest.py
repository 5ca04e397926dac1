"""Browser tests: Debian's Chromium driven by Playwright, axe-core on every page visited.

Run with `make e2e`. Use the `visit(page, url)` helper: it loads the page and
fails the test on any WCAG 2.1 A/AA violation that axe-core finds.
"""

from __future__ import annotations

import os
import re
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
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request, tmp_path_factory):
    """On SQLite the browser tests use a test database in a file (one per test process), not in memory.

    With an in-memory database Django hands the test's own connection to every live-server thread.
    Two threads on one SQLite connection can deadlock: one is inside a query that calls one of Django's
    Python functions (date arithmetic, `_sqlite_timestamp_diff`) and waits for the interpreter lock,
    while the other holds that lock and waits for the connection. Seen in CI: the dashboard's "Opdater
    tallene nu" request and the test's flush stopped each other, and the run hung. With a file every
    thread has its own connection, and SQLite's locking (WAL, 20 s busy timeout) orders them."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("e2e-db") / f"e2e-{worker}.sqlite3")


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
    # Every page the test loads, however it got there (goto, a click, a redirect), is held to the
    # Danish-label rule; the failures are reported when the test ends.
    english: list[str] = []
    skipped: list[str] = []

    def on_load(_page) -> None:
        try:
            check_danish_labels(page)
        except AssertionError as error:
            english.append(str(error))
        except Exception as error:  # the page navigated on before the check ran: its successor is checked
            skipped.append(str(error))

    page.on("load", on_load)
    yield page
    context.close()
    _wait_for_live_server_requests()
    assert english == [], "\n".join(dict.fromkeys(english))


def _wait_for_live_server_requests(timeout: float = 10.0) -> None:
    """Let the live server finish what the browser asked for before the test database is flushed.

    A page can still have a request in flight when the test ends (a map fetching its markers, a
    redirect the test did not wait for). On SQLite the live server shares the test's in-memory
    connection, so a query still running there makes the flush fail ("couldn't be flushed", seen
    once in CI). Closing the context closes the browser's sockets; the server's request threads
    then end, and we wait for them."""
    import threading
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [t for t in threading.enumerate() if "process_request_thread" in t.name and t.is_alive()]
        if not busy:
            return
        time.sleep(0.05)


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


def english_labels_with_danish() -> dict[str, str]:
    """English preferred label (lower case) -> the Danish label, for every occupation, skill, ISCO
    group and skill group in the test database that has a Danish label differing from the English."""
    from jobunivers.taxonomy.models import IscoGroup, Occupation, Skill, SkillGroup

    labels: dict[str, str] = {}
    for model in (Occupation, Skill, IscoGroup, SkillGroup):
        for english, danish in model.objects.exclude(preferred_label_da="").values_list(
                "preferred_label", "preferred_label_da"):
            if english.strip() and english.strip().lower() != danish.strip().lower():
                labels[english.strip().lower()] = danish
    return labels


def check_danish_labels(page) -> None:
    """A page in Danish shows no concept by its English label when the concept has a Danish one.

    Precisely: when `<html lang="da">`, no English preferred label of an occupation, skill, ISCO
    group or skill group whose Danish label differs occurs as a phrase (case-insensitive, between
    non-letters) in the page's text (`textContent` of the body, so <option>s of pickers and closed
    menus count; scripts and styles do not). Text marked `lang="en"` is held to the same rule, and
    `check_english_marks` checks that the mark is only on concepts that have no Danish label."""
    if page.evaluate("document.documentElement.lang") != "da":
        return
    check_english_marks(page)
    labels = english_labels_with_danish()
    if not labels:
        return
    text = page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll('script, style, template').forEach((e) => e.remove());
        return body.textContent.replace(/\\s+/g, ' ');
    }""").lower()
    found = sorted({label for label in labels if re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", text)})
    assert found == [], f"English concept labels on the Danish page {page.url}: " + ", ".join(
        f"{label!r} (Danish: {labels[label]!r})" for label in found)


def english_labels_of_danish_concepts() -> dict[str, str]:
    """English preferred label (lower case) -> Danish label, for every occupation, skill, ISCO group
    and skill group in the test database that has a Danish label (equal to the English or not)."""
    from jobunivers.taxonomy.models import IscoGroup, Occupation, Skill, SkillGroup

    labels: dict[str, str] = {}
    for model in (Occupation, Skill, IscoGroup, SkillGroup):
        for english, danish in model.objects.exclude(preferred_label_da="").values_list(
                "preferred_label", "preferred_label_da"):
            if english.strip():
                labels[english.strip().lower()] = danish
    return labels


def check_english_marks(page) -> None:
    """A concept label marked `lang="en"` on a Danish page is one with no Danish label in the data:
    every element with `lang="en"` whose whole text is the English preferred label of a concept that
    has a Danish label fails (that concept should have been shown by its Danish label, unmarked)."""
    if page.evaluate("document.documentElement.lang") != "da":
        return
    marked = page.evaluate("""() => Array.from(document.body.querySelectorAll('[lang="en"], [lang^="en-"]'))
        .map((e) => e.textContent.replace(/\\s+/g, ' ').trim().toLowerCase()).filter((t) => t)""")
    if not marked:
        return
    labels = english_labels_of_danish_concepts()
    found = sorted({text for text in marked if text in labels})
    assert found == [], f'Concept labels marked lang="en" that have a Danish label on {page.url}: ' + ", ".join(
        f"{text!r} (Danish: {labels[text]!r})" for text in found)


def check_page(page) -> None:
    check_accessibility(page)
    check_danish_labels(page)


@pytest.fixture
def visit():
    """visit(page, path) -> response; runs axe-core and the Danish-label check on the loaded page."""

    def _visit(page, path: str, *, check: bool = True):
        response = page.goto(path)
        if check:
            check_page(page)
        return response

    return _visit


@pytest.fixture
def axe():
    """axe(page): check the current state of the page (after clicks, HTMX swaps): axe-core and
    the Danish-label check."""
    return check_page


@pytest.fixture
def sign_in_as():
    """sign_in_as(page, user, municipality=None): demo persona login through the real page (DEMO=1)."""

    def _sign_in(page, user, municipality=None):
        prefix = f"/{municipality.slug}" if municipality is not None else ""
        page.goto(f"{prefix}/demo/")
        page.locator(f"form:has(input[name='user_id'][value='{user.pk}']) button").click()
        page.wait_for_load_state("domcontentloaded")

    return _sign_in
