"""The citizen's job map (issue 13, item 2): reached from the menu, without a query it shows the jobs
within the citizen's radius of their home, draws a background tile from the configured tile server
(answered locally here) and real marker images, breaks no content security policy rule, and links to
the list, its accessible equivalent."""

import pytest

from tests.e2e.screens import DESKTOP, PHONE, screenshot, serve_tiles_locally

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
COLLECT_CSP = ("window.cspViolations = [];"
               "document.addEventListener('securitypolicyviolation',"
               " e => window.cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI));")


@pytest.fixture
def carpenter_in_aarhus(municipality):
    from jobunivers.citizens.services import welcome_mark_seen
    from jobunivers.matching.tests.helpers import citizen_seeking, occupation, posting

    carpenter = occupation("tømrer", "7115")
    citizen = citizen_seeking(municipality, [carpenter], radius_km=20)
    citizen.user.first_name, citizen.user.last_name = "Tove", "Tømrer"
    citizen.user.save(update_fields=["first_name", "last_name"])
    welcome_mark_seen(actor=citizen.user, citizen=citizen)
    posting("Tømrer til renovering i Aarhus", carpenter, employer="Aarhus Byg ApS")  # 0 km
    posting("Tømrer i Randers", carpenter, lat=56.4607, lon=10.0364)  # 35 km: outside 20 km
    posting("Tømrer i København", carpenter, lat=55.6761, lon=12.5683)
    return citizen


def _drawn_images(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector, "els => els.map(e => ({src: e.currentSrc || e.src, complete: e.complete, width: e.naturalWidth}))")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_map_from_the_menu_shows_jobs_around_home_with_tile_and_marker(page, visit, axe, sign_in_as, municipality,
                                                                       carpenter_in_aarhus, settings, viewport):
    # given a carpenter living in 8000 Aarhus C who searches within 20 km, and the default tile server
    settings.JOBS_MAP_TILE_URL = OSM
    page.set_viewport_size(viewport)
    page.add_init_script(COLLECT_CSP)
    serve_tiles_locally(page, OSM)
    sign_in_as(page, carpenter_in_aarhus.user, municipality)
    # when she opens the map from her menu (the phone's menu button first on a phone)
    if viewport is PHONE:
        page.get_by_role("button", name="Menu").click()
        page.locator(".mobile-drawer").get_by_role("link", name="Job på et kort").click()
    else:
        page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Job på et kort").click()
    page.wait_for_selector("#job-map[data-loaded]")
    # then the map shows the one job within 20 km of her home, as a real marker image
    assert page.locator("#job-map").get_attribute("data-loaded") == "1"
    assert page.locator("#map-status").inner_text() == "Job på kortet: 1"
    page.wait_for_function("() => [...document.querySelectorAll('.leaflet-marker-icon')].every(i => i.complete)")
    markers = _drawn_images(page, "img.leaflet-marker-icon")
    assert [(m["src"].rsplit("/", 1)[-1], m["width"] > 0) for m in markers] == [("marker-icon.png", True)]
    # and the background map is drawn from the configured tile server
    page.wait_for_selector("img.leaflet-tile-loaded")
    tiles = _drawn_images(page, "img.leaflet-tile-loaded")
    assert tiles and all(t["src"].startswith("https://tile.openstreetmap.org/") and t["width"] > 0 for t in tiles)
    # and nothing broke the content security policy (enforced in production, reported in tests)
    assert [v for v in page.evaluate("window.cspViolations") if not v.startswith("script-src")] == []
    axe(page)
    screenshot(page, "citizen-map")
    # and the list with the same jobs is one link away
    page.get_by_role("link", name="Vis resultaterne som en liste").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("link", name="Tømrer til renovering i Aarhus").count() == 1
    assert page.get_by_text("Tømrer i Randers").count() == 0

