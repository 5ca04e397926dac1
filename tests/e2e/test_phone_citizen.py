"""The citizen on a phone (issue 13, item 3): at 390 × 844 every main page fits the screen (nothing to
scroll sideways), passes axe-core, and the design system's menu button opens a drawer with the menu,
the citizen's name, the language switch and "Log ud", which signs the citizen out. Screenshots of the
main pages at 390 and 1280 px go to test-results/screenshots/ for people to look at."""

import datetime

import pytest
from django.utils import timezone

from tests.e2e.screens import DESKTOP, PHONE, horizontal_overflow, screenshot, serve_tiles_locally

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [  # (screenshot name, path under the municipality, h1)
    ("citizen-home", "min-side/", None),
    ("citizen-feed", "job-til-dig/", "Job til dig"),
    ("citizen-search", "job/", None),
    ("citizen-map", "job/kort/", "Job på et kort"),
    ("citizen-plan", "min-side/plan/", None),
    ("citizen-profile", "min-side/profil/", None),
    ("citizen-my-data", "mine-data/", "Mine data"),
    ("citizen-availability", "raadighed/", None),
    ("citizen-erasure", "mine-data/slet/", None),
]


@pytest.fixture
def citizen(municipality):
    from jobunivers.citizens.models import PlanItemType
    from jobunivers.citizens.services import plan_item_create, welcome_mark_seen
    from jobunivers.matching.tests.helpers import citizen_seeking, occupation, posting

    carpenter, bricklayer = occupation("tømrer", "7115", english="carpenter"), occupation("murer", "7112", english="bricklayer")
    citizen = citizen_seeking(municipality, [carpenter], radius_km=30)
    citizen.user.first_name, citizen.user.last_name = "Tove", "Tømrer-Kristiansen"
    citizen.user.save(update_fields=["first_name", "last_name"])
    welcome_mark_seen(actor=citizen.user, citizen=citizen)
    for number, employer in enumerate(["Aarhus Byg ApS", "Tag & Træ ApS", "Renovering Østjylland A/S",
                                       "Træhusene I/S", "Kommunens Ejendomme"]):
        posting(f"Tømrer til {['renovering', 'tagarbejde', 'nybyggeri', 'montage', 'vedligehold'][number]}",
                carpenter, employer=employer, days_old=number + 1, deadline_days=20 + number)
    posting("Murer til facade", bricklayer, employer="Mur ApS")
    today = timezone.localdate()
    plan_item_create(actor=None, citizen=citizen, item_type=PlanItemType.MEETING, title="Samtale på jobcentret",
                     starts_on=today + datetime.timedelta(days=3), location="Jobcenter Aarhus, Værkmestergade 3",
                     created_by_kind="system")
    plan_item_create(actor=citizen.user, citizen=citizen, item_type=PlanItemType.OWN_ACTIVITY,
                     title="Opdatér mit CV med tagarbejde", due_on=today + datetime.timedelta(days=10),
                     created_by_kind="citizen")
    return citizen


def _visit_all(page, visit, municipality, viewport) -> None:
    page.set_viewport_size(viewport)
    for name, path, heading in PAGES:
        visit(page, f"/{municipality.slug}/{path}")
        assert page.locator("h1").count() == 1, path
        if heading is not None:
            assert page.locator("h1").inner_text() == heading
        if name == "citizen-map":
            page.wait_for_selector("#job-map[data-loaded]")
        assert horizontal_overflow(page) == 0, f"{path} is wider than {viewport['width']} px"
        screenshot(page, name)


def test_main_pages_fit_a_phone_and_the_menu_signs_out(page, visit, axe, sign_in_as, municipality, citizen, settings):
    # given a carpenter of Aarhus with a profile, a plan and jobs around her home, on a 390 × 844 phone
    serve_tiles_locally(page, settings.JOBS_MAP_TILE_URL)
    page.set_viewport_size(PHONE)
    sign_in_as(page, citizen.user, municipality)
    # when she opens each of her main pages, then each fits the screen and passes axe-core
    _visit_all(page, visit, municipality, PHONE)
    # and the consent boxes are drawn as checkboxes (the design system's box before the label)
    page.goto(f"/{municipality.slug}/mine-data/")
    box = page.locator("label[for='id_personalisation']")
    assert box.evaluate("l => getComputedStyle(l, '::before').borderTopWidth") == "2px"
    assert box.is_visible()
    # and the header shows the menu button, not the desktop menu or "Log ud"
    page.goto(f"/{municipality.slug}/min-side/")
    assert page.get_by_role("button", name="Log ud").filter(visible=True).count() == 0
    assert page.get_by_role("navigation", name="Hovedmenu", exact=True).is_visible() is False
    # when she opens the menu
    page.get_by_role("button", name="Menu").click()
    drawer = page.get_by_role("dialog", name="Menu")
    drawer.wait_for(state="visible")
    # then it lists her pages, her name, the language switch and "Log ud"
    assert drawer.get_by_role("link", name="Job til dig").is_visible()
    assert drawer.get_by_role("link", name="Find job").is_visible()
    assert drawer.get_by_text("Tove Tømrer-Kristiansen").is_visible()
    assert drawer.get_by_role("button", name="English").is_visible()
    axe(page)
    screenshot(page, "citizen-phone-menu", full_page=False)
    assert drawer.is_visible()
    # and the menu closes again
    drawer.get_by_role("button", name="Luk").click()
    drawer.wait_for(state="hidden")
    # when she opens it again and logs out
    page.get_by_role("button", name="Menu").click()
    drawer.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state("domcontentloaded")
    # then she is signed out: her page asks her to log in
    response = page.goto(f"/{municipality.slug}/min-side/")
    assert "/log-ind/" in page.url
    assert response.status == 200


def test_main_pages_on_a_desktop(page, visit, sign_in_as, municipality, citizen, settings):
    # given the same citizen on a 1280 px screen
    serve_tiles_locally(page, settings.JOBS_MAP_TILE_URL)
    sign_in_as(page, citizen.user, municipality)
    # when she opens each main page, then each passes axe-core and fits the window
    _visit_all(page, visit, municipality, DESKTOP)
    # and the desktop header shows her name and "Log ud" without a menu button
    assert page.get_by_role("button", name="Menu").is_visible() is False
    assert page.locator(".portal-user").get_by_text("Tove Tømrer-Kristiansen").is_visible()
    assert page.locator(".portal-user").get_by_role("button", name="Log ud").is_visible()
